import Crypto
import Foundation

/// SHA-256 digests for cache keys.
enum Digest {
    /// The lowercase hex SHA-256 of `data`.
    static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
