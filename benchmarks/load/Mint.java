import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Mints the load benchmark's key and token, without Scimitar: a fresh P-256 key, its public half as
 * a JWKS (for Scimitar, served by nginx) and as a PEM file (for HAProxy's {@code jwt_verify}), and
 * one ES256 token for the benchmark user. Run with {@code java -cp nimbus-jose-jwt.jar Mint.java
 * OUT_DIR ISSUER AUDIENCE EMAIL GROUP}; writes {@code jwks.json}, {@code public.pem} and {@code token}.
 */
public class Mint {
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: java -cp nimbus-jose-jwt.jar Mint.java OUT_DIR ISSUER AUDIENCE EMAIL GROUP");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        String issuer = args[1], audience = args[2], email = args[3], group = args[4];
        var key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                .keyID("load-bench").generate();
        Files.writeString(out.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
        String spki = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toECPublicKey().getEncoded());
        Files.writeString(out.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n" + spki + "\n-----END PUBLIC KEY-----\n");
        Instant now = Instant.now();
        // aud is a single string (not an array) so HAProxy's jwt_payload_query('$.aud') compares it
        // with -m str; "groups" is one space-separated string because HAProxy 2.6's JSON query
        // cannot read arrays. Scimitar ignores "groups": it looks membership up in its directory.
        var claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(email)
                .claim("email", email)
                .claim("groups", group)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(2))))
                .build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new ECDSASigner(key));
        Files.writeString(out.resolve("token"), jwt.serialize());
    }
}
