import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

/**
 * java CaKeystore.java OUT PEM...: the JRE's trust store (what ca-certificates-java's maintainer script makes on a
 * Debian system) from the given certificates, in their order, as reproducible bytes: a PKCS12 store with neither
 * certificate encryption nor MAC has no random salt or IV, and holds no dates. The JDK loads it with no password,
 * as it loads cacerts by default. Run by scripts/build-image.sh.
 */
public final class CaKeystore {
    public static void main(String[] args) throws Exception {
        for (String key : new String[] {"keystore.pkcs12.certProtectionAlgorithm", "keystore.pkcs12.macAlgorithm"}) {
            Security.setProperty(key, "NONE");
            System.setProperty(key, "NONE");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        for (int i = 1; i < args.length; i++) {
            Path pem = Path.of(args[i]);
            try (InputStream in = Files.newInputStream(pem)) {
                int n = 0;
                for (Certificate c : x509.generateCertificates(in)) {
                    // Debian's alias is "debian:" and the name of the link in /etc/ssl/certs (NAME.pem); this takes
                    // the certificate's own file name, lower-cased
                    String name = pem.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                    store.setCertificateEntry("debian:" + name + (n++ == 0 ? "" : "-" + n), c);
                }
            }
        }
        try (OutputStream out = Files.newOutputStream(Path.of(args[0]))) {
            store.store(out, new char[0]);
        }
        System.err.println("CaKeystore: " + store.size() + " certificates in " + args[0]);
    }
}
