import Crypto
import X509

/// An office's signing certificate together with its private key.
public struct SealSigner: Sendable {
    public let certificate: Certificate
    public let privateKey: P256.Signing.PrivateKey

    /// Refuses a key that is not the certificate's: the seal would be
    /// well-formed yet never verify.
    public init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) throws(SealError) {
        guard certificate.publicKey == Certificate.PublicKey(privateKey.publicKey) else {
            throw .keyDoesNotMatchCertificate
        }
        self.certificate = certificate
        self.privateKey = privateKey
    }
}
