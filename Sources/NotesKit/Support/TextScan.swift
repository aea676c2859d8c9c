/// Scans of note text over its UTF-8 bytes, for the loader's hot loops.
///
/// Loading a large course spent most of its time in `Character`-level string work: splitting
/// prose on `isWhitespace` to count words and Foundation's `range(of:)` to look for markers
/// that are almost never there. These answer the same questions from the bytes.
enum TextScan {
    /// Whether `text` contains the ASCII string `needle`.
    static func contains(_ text: some StringProtocol, _ needle: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first else { return true }
        return withBytes(text) { bytes in
            guard bytes.count >= pattern.count else { return false }
            var index = 0
            let last = bytes.count - pattern.count
            while index <= last {
                if bytes[index] == first {
                    var matched = 1
                    while matched < pattern.count && bytes[index + matched] == pattern[matched] { matched += 1 }
                    if matched == pattern.count { return true }
                }
                index += 1
            }
            return false
        }
    }

    /// The number of words in `text`: runs of characters between Unicode white space, as
    /// `text.split(whereSeparator: \.isWhitespace).count` counts them.
    static func wordCount(_ text: some StringProtocol) -> Int {
        withBytes(text) { bytes in
            var words = 0
            var inWord = false
            var index = 0
            while index < bytes.count {
                let length = whitespaceLength(bytes, at: index)
                if length > 0 {
                    inWord = false
                    index += length
                } else {
                    if !inWord { words += 1 }
                    inWord = true
                    index += 1
                }
            }
            return words
        }
    }

    /// The byte length of the white-space scalar at `index` (Unicode's White_Space property), or 0.
    private static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 0x80 { return byte == 0x20 || (0x09...0x0D).contains(byte) ? 1 : 0 }
        func next(_ offset: Int) -> UInt8 { index + offset < bytes.count ? bytes[index + offset] : 0 }
        switch byte {
        case 0xC2: return next(1) == 0x85 || next(1) == 0xA0 ? 2 : 0 // U+0085, U+00A0
        case 0xE1: return next(1) == 0x9A && next(2) == 0x80 ? 3 : 0 // U+1680
        case 0xE2:
            if next(1) == 0x80 {
                let third = next(2)
                return (0x80...0x8A).contains(third) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0 // U+2000–200A, 2028, 2029, 202F
            }
            return next(1) == 0x81 && next(2) == 0x9F ? 3 : 0 // U+205F
        case 0xE3: return next(1) == 0x80 && next(2) == 0x80 ? 3 : 0 // U+3000
        default: return 0
        }
    }

    private static func withBytes<T>(_ text: some StringProtocol, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        let copy = Array(text.utf8)
        return copy.withUnsafeBufferPointer(body)
    }
}
