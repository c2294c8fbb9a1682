package io.scimitar.authn;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import java.util.Set;

/**
 * One trusted public key with its verifier built once, at fetch time, and the algorithms it may
 * verify. Binding algorithms to the key type is what defeats algorithm confusion: an RSA key is
 * never asked to check an HMAC or an ECDSA signature.
 */
record VerificationKey(String keyId, Set<JWSAlgorithm> algorithms, JWSVerifier verifier) {

    boolean accepts(JWSAlgorithm algorithm) {
        return algorithms.contains(algorithm);
    }
}
