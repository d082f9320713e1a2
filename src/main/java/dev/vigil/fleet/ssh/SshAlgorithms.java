package dev.vigil.fleet.ssh;

import java.util.List;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;

/**
 * The algorithms Vigil offers, chosen on purpose rather than taken from MINA's defaults.
 *
 * <p>Key exchange: connection set-up dominates a cold sweep of a fleet, and OpenSSH 9's preferred post-quantum
 * hybrid (sntrup761x25519) costs ~150 ms of CPU per connection against ~11 ms for curve25519-sha256, so curve25519
 * comes first, then the NIST ECDH curves for servers without it. No SHA-1 key exchange (diffie-hellman-group1/14-sha1),
 * no ssh-rsa (SHA-1) signatures, no CBC ciphers: all are deprecated and OpenSSH has disabled most of them.
 */
final class SshAlgorithms {
    static final List<BuiltinDHFactories> KEY_EXCHANGES = List.of(
            BuiltinDHFactories.curve25519,
            BuiltinDHFactories.curve25519_libssh,
            BuiltinDHFactories.ecdhp256,
            BuiltinDHFactories.ecdhp384,
            BuiltinDHFactories.ecdhp521);

    static final List<NamedFactory<Cipher>> CIPHERS = List.of(
            BuiltinCiphers.cc20p1305_openssh,
            BuiltinCiphers.aes256gcm,
            BuiltinCiphers.aes128gcm,
            BuiltinCiphers.aes256ctr,
            BuiltinCiphers.aes192ctr,
            BuiltinCiphers.aes128ctr);

    /** Only the CTR ciphers use a MAC (the AEAD ones carry their own); encrypt-then-MAC first. */
    static final List<NamedFactory<Mac>> MACS = List.of(
            BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm, BuiltinMacs.hmacsha256, BuiltinMacs.hmacsha512);

    static final List<NamedFactory<Signature>> SIGNATURES = List.of(
            BuiltinSignatures.ed25519,
            BuiltinSignatures.nistp256,
            BuiltinSignatures.nistp384,
            BuiltinSignatures.nistp521,
            BuiltinSignatures.rsaSHA512,
            BuiltinSignatures.rsaSHA256);

    private SshAlgorithms() {}

    static void apply(SshClient client) {
        client.setKeyExchangeFactories(
                NamedFactory.setUpTransformedFactories(false, KEY_EXCHANGES, ClientBuilder.DH2KEX));
        client.setCipherFactories(CIPHERS);
        client.setMacFactories(MACS);
        client.setSignatureFactories(SIGNATURES);
    }
}
