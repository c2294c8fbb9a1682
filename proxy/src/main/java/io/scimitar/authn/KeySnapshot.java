package io.scimitar.authn;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, pre-indexed view of one fetched JWKS: the usable signature keys by {@code kid},
 * with their verifiers already built. Verification only reads it; a refresh swaps in a new one.
 */
public final class KeySnapshot {

    /** Before the first successful fetch. */
    public static final KeySnapshot EMPTY = new KeySnapshot(Map.of(), List.of(), List.of(), Instant.EPOCH, Set.of());

    /** NIST SP 800-57 and RFC 7518 §3.3: RSA keys below 2048 bits are refused. */
    static final int MIN_RSA_BITS = 2048;

    private static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

    private final Map<String, List<VerificationKey>> byKid;
    private final List<VerificationKey> all;
    private final List<String> skipped;
    private final Instant fetchedAt;
    /** The {@code kid}s held here that the snapshot this one replaced lacked. */
    private final Set<String> arrived;

    private KeySnapshot(Map<String, List<VerificationKey>> byKid, List<VerificationKey> all, List<String> skipped,
            Instant fetchedAt, Set<String> arrived) {
        this.byKid = byKid;
        this.all = all;
        this.skipped = skipped;
        this.fetchedAt = fetchedAt;
        this.arrived = arrived;
    }

    /**
     * Keeps the keys we can use for signatures (RSA ≥ 2048 bits, EC P-256/384/521; {@code use} sig or
     * absent; {@code key_ops} verify or absent), public parts only; the rest is listed in {@link
     * #skipped()} so the fetcher can log it.
     */
    public static KeySnapshot of(JWKSet set, Instant fetchedAt) {
        Map<String, List<VerificationKey>> byKid = new HashMap<>();
        List<VerificationKey> all = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        // toPublicJWKSet drops symmetric (oct) keys and any private parts an IdP published by mistake.
        for (JWK jwk : set.toPublicJWKSet().getKeys()) {
            String kid = jwk.getKeyID();
            String label = "kid=" + kid + " kty=" + jwk.getKeyType();
            if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
                skipped.add(label + ": use is " + jwk.getKeyUse().identifier() + ", not sig");
                continue;
            }
            if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
                skipped.add(label + ": key_ops lacks verify");
                continue;
            }
            try {
                VerificationKey key = switch (jwk) {
                    case RSAKey rsa -> rsaKey(rsa, skipped, label);
                    case ECKey ec -> ecKey(ec, skipped, label);
                    default -> {
                        skipped.add(label + ": key type not supported (RSA and EC only)");
                        yield null;
                    }
                };
                if (key != null) {
                    all.add(key);
                    if (kid != null) {
                        byKid.computeIfAbsent(kid, k -> new ArrayList<>()).add(key);
                    }
                }
            } catch (JOSEException e) {
                skipped.add(label + ": " + e.getMessage());
            }
        }
        Map<String, List<VerificationKey>> frozen = new HashMap<>();
        byKid.forEach((kid, keys) -> frozen.put(kid, List.copyOf(keys)));
        return new KeySnapshot(Map.copyOf(frozen), List.copyOf(all), List.copyOf(skipped), fetchedAt,
                Set.copyOf(frozen.keySet()));
    }

    /** These keys as the successor of {@code previous}: {@link #arrived} then names only what it lacked. */
    public KeySnapshot replacing(KeySnapshot previous) {
        Set<String> fresh = new HashSet<>(byKid.keySet());
        fresh.removeAll(previous.byKid.keySet());
        return new KeySnapshot(byKid, all, skipped, fetchedAt, Set.copyOf(fresh));
    }

    private static VerificationKey rsaKey(RSAKey rsa, List<String> skipped, String label) throws JOSEException {
        if (rsa.size() < MIN_RSA_BITS) {
            skipped.add(label + ": RSA modulus of " + rsa.size() + " bits, at least " + MIN_RSA_BITS + " required");
            return null;
        }
        return new VerificationKey(rsa.getKeyID(), restrict(RSA_ALGORITHMS, rsa), new RSASSAVerifier(rsa));
    }

    private static VerificationKey ecKey(ECKey ec, List<String> skipped, String label) throws JOSEException {
        JWSAlgorithm algorithm = ecAlgorithm(ec.getCurve());
        if (algorithm == null) {
            skipped.add(label + ": curve " + ec.getCurve() + " not supported (P-256, P-384, P-521)");
            return null;
        }
        return new VerificationKey(ec.getKeyID(), restrict(Set.of(algorithm), ec), new ECDSAVerifier(ec));
    }

    /** RFC 7517 §4.4: a key that names its {@code alg} may be used with that algorithm only. */
    private static Set<JWSAlgorithm> restrict(Set<JWSAlgorithm> family, JWK jwk) {
        if (jwk.getAlgorithm() == null) {
            return family;
        }
        JWSAlgorithm declared = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
        return family.contains(declared) ? Set.of(declared) : Set.of();
    }

    static JWSAlgorithm ecAlgorithm(Curve curve) {
        if (Curve.P_256.equals(curve)) {
            return JWSAlgorithm.ES256;
        }
        if (Curve.P_384.equals(curve)) {
            return JWSAlgorithm.ES384;
        }
        if (Curve.P_521.equals(curve)) {
            return JWSAlgorithm.ES512;
        }
        return null;
    }

    /** True when the key set holds a key with this {@code kid}. */
    public boolean containsKeyId(String kid) {
        return byKid.containsKey(kid);
    }

    /**
     * True when this snapshot brought the key with this {@code kid}: the snapshot it replaced lacked
     * it. A request refused for that kid a moment ago may have been decided before it arrived.
     */
    public boolean arrived(String kid) {
        return arrived.contains(kid);
    }

    /**
     * The keys that may verify a token with this header: those with its {@code kid} (or every key,
     * when the token names none) that accept its {@code alg}. Empty when none does.
     */
    List<VerificationKey> candidates(JWSHeader header) {
        String kid = header.getKeyID();
        List<VerificationKey> keys = kid == null ? all : byKid.getOrDefault(kid, List.of());
        JWSAlgorithm algorithm = header.getAlgorithm();
        for (VerificationKey key : keys) {
            if (!key.accepts(algorithm)) {
                return keys.stream().filter(k -> k.accepts(algorithm)).toList();
            }
        }
        return keys;
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }

    public int size() {
        return all.size();
    }

    /** The {@code kid}s held, for logs and the readiness endpoint. */
    public Set<String> keyIds() {
        return Collections.unmodifiableSet(byKid.keySet());
    }

    /** Keys of the fetched document that were left out, and why. */
    public List<String> skipped() {
        return skipped;
    }

    public Instant fetchedAt() {
        return fetchedAt;
    }
}
