extension HTMLTokenizer {
    /// Decodes the character references of attribute values as browsers do (HTML's "character
    /// reference state" for attributes), for the names that matter to this tool.
    ///
    /// Numeric references are decoded with or without their `;` (`&#106avascript:` is
    /// `javascript:`), with browsers' replacements (U+FFFD for zero, surrogates and values past
    /// U+10FFFF; Windows-1252 for 0x80–0x9F). Named references are decoded when this table knows
    /// them; a name ending in `;` that it does not know makes the value undecodable. Without a `;`,
    /// only the legacy names (`&amp`, `&lt`, `&nbsp`, the Latin-1 letters…) are references in
    /// browsers, and in attribute values only when no letter, digit or `=` follows.
    enum CharacterReferences {
        /// `raw` with its references decoded, or the first named reference that cannot be.
        static func decodeAttributeValue(_ raw: String) -> HTMLTokenizer.DecodedValue {
            guard raw.utf8.contains(UInt8(ascii: "&")) else { return .value(raw) }
            let scalars = Array(raw.unicodeScalars)
            var out = String.UnicodeScalarView()
            var index = 0
            while index < scalars.count {
                guard scalars[index] == "&", index + 1 < scalars.count else {
                    out.append(scalars[index])
                    index += 1
                    continue
                }
                if scalars[index + 1] == "#", let (scalar, end) = numeric(scalars, hashAt: index + 1) {
                    out.append(scalar)
                    index = end
                    continue
                }
                var nameEnd = index + 1
                while nameEnd < scalars.count, isAlphanumeric(scalars[nameEnd]) { nameEnd += 1 }
                guard nameEnd > index + 1 else {
                    out.append("&")
                    index += 1
                    continue
                }
                let name = String(String.UnicodeScalarView(scalars[(index + 1)..<nameEnd]))
                if nameEnd < scalars.count, scalars[nameEnd] == ";" {
                    guard let decoded = named[name] ?? legacy[name] else {
                        return .undecodable(reference: "&\(name);")
                    }
                    out.append(contentsOf: decoded.unicodeScalars)
                    index = nameEnd + 1
                } else if let decoded = legacy[name], nameEnd == scalars.count || scalars[nameEnd] != "=" {
                    out.append(contentsOf: decoded.unicodeScalars)
                    index = nameEnd
                } else {
                    out.append("&")
                    index += 1
                }
            }
            return .value(String(out))
        }

        /// The scalar of the numeric reference whose `#` is at `hash`, and the index after it.
        private static func numeric(_ scalars: [Unicode.Scalar], hashAt hash: Int) -> (Unicode.Scalar, Int)? {
            var index = hash + 1
            var radix: UInt32 = 10
            if index < scalars.count, scalars[index] == "x" || scalars[index] == "X" {
                radix = 16
                index += 1
            }
            let digitsStart = index
            var value: UInt32 = 0
            while index < scalars.count, let digit = digitValue(scalars[index], radix: radix) {
                value = min(value * radix + digit, 0x110000)
                index += 1
            }
            guard index > digitsStart else { return nil }
            if index < scalars.count, scalars[index] == ";" { index += 1 }
            return (scalar(forCodePoint: value), index)
        }

        /// What browsers make of a numeric reference to `value`.
        private static func scalar(forCodePoint value: UInt32) -> Unicode.Scalar {
            if (0x80...0x9F).contains(value), let mapped = windows1252[value] { return mapped }
            if value == 0 { return "\u{FFFD}" }
            return Unicode.Scalar(value) ?? "\u{FFFD}"
        }

        private static func digitValue(_ scalar: Unicode.Scalar, radix: UInt32) -> UInt32? {
            switch scalar {
            case "0"..."9": return scalar.value - 0x30
            case "a"..."f" where radix == 16: return scalar.value - 0x61 + 10
            case "A"..."F" where radix == 16: return scalar.value - 0x41 + 10
            default: return nil
            }
        }

        private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }

        /// The references browsers also accept without `;`: HTML 4's Latin-1 set and a few capitals.
        private static let legacy: [String: String] = {
            let latin1 = """
                nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr \
                deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 \
                iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml \
                Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave \
                Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil \
                egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde \
                ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml
                """.split(separator: " ")
            var table: [String: String] = ["amp": "&", "AMP": "&", "lt": "<", "LT": "<", "gt": ">",
                                           "GT": ">", "quot": "\"", "QUOT": "\"", "COPY": "©", "REG": "®"]
            for (offset, name) in latin1.enumerated() {
                if let scalar = Unicode.Scalar(0xA0 + UInt32(offset)) {
                    table[String(name)] = String(Character(scalar))
                }
            }
            return table
        }()

        /// Further references decoded only with their `;`: ASCII punctuation that can disguise a URL
        /// scheme (`&colon;`, `&Tab;`, `&NewLine;`), and common typography.
        private static let named: [String: String] = [
            "apos": "'", "Tab": "\t", "NewLine": "\n", "colon": ":", "sol": "/", "lpar": "(", "rpar": ")",
            "period": ".", "comma": ",", "excl": "!", "quest": "?", "num": "#", "dollar": "$",
            "percnt": "%", "ast": "*", "midast": "*", "plus": "+", "equals": "=", "lowbar": "_",
            "UnderBar": "_", "bsol": "\\", "semi": ";", "lsqb": "[", "rsqb": "]", "lbrack": "[",
            "rbrack": "]", "lcub": "{", "rcub": "}", "lbrace": "{", "rbrace": "}", "verbar": "|",
            "vert": "|", "VerticalLine": "|", "grave": "`", "DiacriticalGrave": "`", "Hat": "^",
            "commat": "@", "hyphen": "\u{2010}", "dash": "\u{2010}", "ndash": "\u{2013}", "mdash": "\u{2014}",
            "hellip": "\u{2026}", "lsquo": "\u{2018}", "rsquo": "\u{2019}", "ldquo": "\u{201C}",
            "rdquo": "\u{201D}", "sbquo": "\u{201A}", "bdquo": "\u{201E}", "bull": "\u{2022}",
            "trade": "\u{2122}", "euro": "\u{20AC}", "zwj": "\u{200D}", "zwnj": "\u{200C}",
            "ZeroWidthSpace": "\u{200B}", "NoBreak": "\u{2060}", "thinsp": "\u{2009}",
            "ensp": "\u{2002}", "emsp": "\u{2003}", "larr": "\u{2190}", "rarr": "\u{2192}",
            "uarr": "\u{2191}", "darr": "\u{2193}", "harr": "\u{2194}", "minus": "\u{2212}",
            "le": "\u{2264}", "ge": "\u{2265}", "ne": "\u{2260}", "infin": "\u{221E}",
        ]

        /// What browsers decode the C1 code points 0x80–0x9F to in numeric references.
        private static let windows1252: [UInt32: Unicode.Scalar] = [
            0x80: "\u{20AC}", 0x82: "\u{201A}", 0x83: "\u{0192}", 0x84: "\u{201E}", 0x85: "\u{2026}",
            0x86: "\u{2020}", 0x87: "\u{2021}", 0x88: "\u{02C6}", 0x89: "\u{2030}", 0x8A: "\u{0160}",
            0x8B: "\u{2039}", 0x8C: "\u{0152}", 0x8E: "\u{017D}", 0x91: "\u{2018}", 0x92: "\u{2019}",
            0x93: "\u{201C}", 0x94: "\u{201D}", 0x95: "\u{2022}", 0x96: "\u{2013}", 0x97: "\u{2014}",
            0x98: "\u{02DC}", 0x99: "\u{2122}", 0x9A: "\u{0161}", 0x9B: "\u{203A}", 0x9C: "\u{0153}",
            0x9E: "\u{017E}", 0x9F: "\u{0178}",
        ]
    }
}
