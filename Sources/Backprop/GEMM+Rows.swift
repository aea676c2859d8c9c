extension GEMM {
    /// Where the rows of a row-major operand are: `ld` doubles apart from `start`, or listed one by
    /// one in `table` and read from column `column` on.
    ///
    /// A table lets a product read scattered rows where they lie: a training step's first layer
    /// packs its mini-batch straight from the data set's rows instead of gathering them first.
    struct Rows {
        let start: UnsafePointer<Double>?, ld: Int
        let table: UnsafePointer<UnsafePointer<Double>>?, column: Int

        /// The rows of a matrix with leading dimension `ld`.
        init(_ start: UnsafePointer<Double>, ld: Int) {
            self.start = start
            self.ld = ld
            table = nil
            column = 0
        }

        /// The rows listed in `table`, from column `column` on.
        init(table: UnsafePointer<UnsafePointer<Double>>, column: Int = 0) {
            self.table = table
            self.column = column
            start = nil
            ld = 0
        }

        /// Row `r`, from the first column these rows start at.
        @inline(__always)
        func callAsFunction(_ r: Int) -> UnsafePointer<Double> {
            if let table { return table[r] + column }
            return start.unsafelyUnwrapped + r * ld
        }

        /// The rows from row `r` on.
        func rows(from r: Int) -> Rows {
            if let table { return Rows(table: table + r, column: column) }
            return Rows(self(r), ld: ld)
        }

        /// The same rows from `columns` further right.
        func shifted(by columns: Int) -> Rows {
            if let table { return Rows(table: table, column: column + columns) }
            return Rows(self(0) + columns, ld: ld)
        }
    }
}
