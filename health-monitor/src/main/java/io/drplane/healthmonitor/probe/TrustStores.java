package io.drplane.healthmonitor.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context HTTPS probes verify certificates with. Verification is always on. */
public final class TrustStores {

    private TrustStores() {}

    /** The JDK's default trust, or only the certificates of the given store. */
    public static SSLContext context(String trustStore, String password, String type) {
        try {
            if (trustStore == null || trustStore.isBlank()) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(Path.of(trustStore))) {
                store.load(in, password.toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot load the trust store " + trustStore + " (type " + type + "): " + e.getMessage(), e);
        }
    }
}
