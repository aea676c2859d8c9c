/// The TeX actually typeset for a note's math: a labelled equation without `\tag` gets its number.
struct EquationNumbers {
    private var numbers: [String: Int] = [:]

    init(_ note: Note) {
        for equation in note.equations {
            if let label = equation.label, let number = equation.number { numbers[label] = number }
        }
    }

    /// The request for `math`: its TeX, plus `\tag{n}` when it is numbered automatically.
    func request(for math: MarkdownNode.Math) -> MathRequest {
        if let label = math.label, let number = numbers[label] {
            return MathRequest(tex: math.tex + " \\tag{\(number)}", display: true)
        }
        return MathRequest(tex: math.tex, display: math.display)
    }
}
