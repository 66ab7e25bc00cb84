import CLibCrypto
import Foundation

// The three primitives Patrol needs, from the system's libcrypto (OpenSSL 3, Debian's libssl3):
// SHA-256 (the ledger's chain, snapshots' and drop files' names), HMAC-SHA256 (a webhook's
// signature) and Ed25519 (the ledger's seal). Nothing here chooses parameters: each is the one
// standard algorithm, so what OpenSSL computes is what any other implementation computes
// (Tests/PatrolCryptoTests checks the standards' own test vectors).

/// SHA-256 (FIPS 180-4).
public enum SHA256 {
    public static func hash(data: Data) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let done = bytes(of: data) { pointer, count in
            EVP_Digest(pointer, count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(done == 1 && length == 32, "libcrypto's SHA-256 failed")
        return Array(digest.prefix(32))
    }
}

/// HMAC (RFC 2104) over SHA-256.
public enum HMACSHA256 {
    public static func code(for data: Data, key: Data) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let done = bytes(of: key) { keyPointer, keyCount in
            bytes(of: data) { pointer, count in
                HMAC(EVP_sha256(), keyPointer, Int32(keyCount), pointer.assumingMemoryBound(to: UInt8.self), count,
                     &code, &length) != nil
            }
        }
        precondition(done && length == 32, "libcrypto's HMAC-SHA256 failed")
        return Array(code.prefix(32))
    }
}

/// Ed25519 (RFC 8032): deterministic signatures, 32-byte keys, 64-byte signatures.
public enum Ed25519 {
    public struct KeyError: Error, Sendable {}

    public struct PrivateKey: Sendable {
        /// The private key's 32 bytes (RFC 8032's secret key).
        public let rawRepresentation: Data

        /// A new key from the system's random source.
        public init() {
            var raw = [UInt8](repeating: 0, count: 32)
            precondition(RAND_bytes(&raw, 32) == 1, "libcrypto has no random bytes")
            rawRepresentation = Data(raw)
        }

        public init(rawRepresentation raw: Data) throws(KeyError) {
            guard raw.count == 32 else { throw KeyError() }
            rawRepresentation = raw
        }

        public var publicKey: PublicKey {
            let key = try! evpKey(rawRepresentation, isPrivate: true)
            defer { EVP_PKEY_free(key) }
            var raw = [UInt8](repeating: 0, count: 32)
            var length = 32
            precondition(EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1 && length == 32)
            return try! PublicKey(rawRepresentation: Data(raw))
        }

        public func signature(for message: Data) throws(KeyError) -> Data {
            let key = try evpKey(rawRepresentation, isPrivate: true)
            defer { EVP_PKEY_free(key) }
            guard let context = EVP_MD_CTX_new() else { throw KeyError() }
            defer { EVP_MD_CTX_free(context) }
            var signature = [UInt8](repeating: 0, count: 64)
            var length = 64
            let signed = EVP_DigestSignInit(context, nil, nil, nil, key) == 1 && bytes(of: message) { pointer, count in
                EVP_DigestSign(context, &signature, &length, pointer.assumingMemoryBound(to: UInt8.self), count) == 1
            }
            guard signed, length == 64 else { throw KeyError() }
            return Data(signature)
        }
    }

    public struct PublicKey: Sendable {
        /// The public key's 32 bytes.
        public let rawRepresentation: Data

        /// A key of 32 bytes that libcrypto accepts as an Ed25519 public key.
        public init(rawRepresentation raw: Data) throws(KeyError) {
            guard raw.count == 32 else { throw KeyError() }
            EVP_PKEY_free(try evpKey(raw, isPrivate: false))
            rawRepresentation = raw
        }

        public func isValidSignature(_ signature: Data, for message: Data) -> Bool {
            guard signature.count == 64, let key = try? evpKey(rawRepresentation, isPrivate: false) else { return false }
            defer { EVP_PKEY_free(key) }
            guard let context = EVP_MD_CTX_new() else { return false }
            defer { EVP_MD_CTX_free(context) }
            guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return false }
            let signatureBytes = [UInt8](signature)
            return bytes(of: message) { pointer, count in
                EVP_DigestVerify(context, signatureBytes, 64, pointer.assumingMemoryBound(to: UInt8.self), count) == 1
            }
        }
    }

    private static func evpKey(_ raw: Data, isPrivate: Bool) throws(KeyError) -> OpaquePointer {
        let key = [UInt8](raw).withUnsafeBufferPointer { buffer in
            isPrivate
                ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, buffer.baseAddress, buffer.count)
                : EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, buffer.baseAddress, buffer.count)
        }
        guard let key else { throw KeyError() }
        return key
    }
}

/// Bytes as lower-case hex, and back (either case).
public enum Hex {
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// SHA-256 of `data`, in hex.
    public static func sha256(_ data: Data) -> String { encode(SHA256.hash(data: data)) }

    public static func decode(_ text: String) -> Data? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var data = Data(capacity: digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            data.append(high << 4 | low)
        }
        return data
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// `data`'s bytes and count, never a null pointer (libcrypto wants one even for no bytes).
private func bytes<Result>(of data: Data, _ body: (UnsafeRawPointer, Int) -> Result) -> Result {
    if data.isEmpty {
        var none: UInt8 = 0
        return withUnsafePointer(to: &none) { body(UnsafeRawPointer($0), 0) }
    }
    return data.withUnsafeBytes { body($0.baseAddress!, $0.count) }
}
