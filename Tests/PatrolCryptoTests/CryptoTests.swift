import Foundation
import PatrolCrypto
import Testing

/// The standards' own test vectors: what the system's libcrypto computes is what any other
/// implementation (the ledgers signed before, a verifier's own tool) computes.
@Suite("SHA-256, HMAC-SHA256 and Ed25519 from libcrypto")
struct CryptoTests {
    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    static func data(_ hex: String) -> Data {
        Data(stride(from: 0, to: hex.count, by: 2).map {
            UInt8(hex.dropFirst($0).prefix(2), radix: 16)!
        })
    }

    @Test("SHA-256 of FIPS 180-4's examples")
    func sha256() {
        #expect(Self.hex(SHA256.hash(data: Data("abc".utf8)))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.hex(SHA256.hash(data: Data()))
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("HMAC-SHA256 of RFC 4231's test case 2, and a key longer than a block")
    func hmac() {
        #expect(Self.hex(HMACSHA256.code(for: Data("what do ya want for nothing?".utf8), key: Data("Jefe".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // RFC 4231 test case 6: a 131-byte key is hashed first.
        #expect(Self.hex(HMACSHA256.code(for: Data("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                                        key: Data(repeating: 0xaa, count: 131)))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("Ed25519: RFC 8032's tests 1 and 2 sign and verify byte for byte; a changed message or key fails",
          arguments: [
              ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
               "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
               "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
              ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
               "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
               "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
          ])
    func ed25519(secret: String, publicKey: String, message: String, signature: String) throws {
        let key = try Ed25519.PrivateKey(rawRepresentation: Self.data(secret))
        #expect(Self.hex(key.publicKey.rawRepresentation) == publicKey)
        let signed = try key.signature(for: Self.data(message))
        #expect(Self.hex(signed) == signature)
        let verifier = try Ed25519.PublicKey(rawRepresentation: Self.data(publicKey))
        #expect(verifier.isValidSignature(signed, for: Self.data(message)))
        #expect(!verifier.isValidSignature(signed, for: Self.data(message + "00")))
        var forged = signed
        forged[0] ^= 1
        #expect(!verifier.isValidSignature(forged, for: Self.data(message)))
        #expect(!Ed25519.PrivateKey().publicKey.isValidSignature(signed, for: Self.data(message)))
    }

    @Test("keys of the wrong length are refused; two new keys differ")
    func keys() {
        #expect(throws: Ed25519.KeyError.self) { try Ed25519.PrivateKey(rawRepresentation: Data(count: 31)) }
        #expect(throws: Ed25519.KeyError.self) { try Ed25519.PublicKey(rawRepresentation: Data(count: 33)) }
        #expect(Ed25519.PrivateKey().rawRepresentation != Ed25519.PrivateKey().rawRepresentation)
    }
}
