package io.drplane.healthmonitor.probe;

import io.drplane.events.ProbeOutcome;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Maps what a probe threw to the failure class an observation carries. */
public final class FailureClassifier {

    private FailureClassifier() {}

    /**
     * The most specific class anywhere in the cause chain wins: the JDK reports an unresolvable host as a
     * ConnectException caused by an UnresolvedAddressException, which is DNS, not a refusal.
     */
    public static ProbeOutcome classify(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = unwrap(error); t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        if (chain.stream().anyMatch(t -> t instanceof SSLException)) {
            return ProbeOutcome.TLS;
        }
        if (chain.stream()
                .anyMatch(t -> t instanceof UnknownHostException || t instanceof UnresolvedAddressException)) {
            return ProbeOutcome.DNS;
        }
        if (chain.stream()
                .anyMatch(t -> t instanceof HttpConnectTimeoutException
                        || t instanceof HttpTimeoutException
                        || t instanceof SocketTimeoutException
                        || t instanceof TimeoutException
                        || t instanceof InterruptedByTimeoutException)) {
            return ProbeOutcome.TIMEOUT;
        }
        if (chain.stream().anyMatch(t -> t instanceof ConnectException || t instanceof NoRouteToHostException)) {
            return ProbeOutcome.REFUSED;
        }
        return ProbeOutcome.ERROR;
    }

    /** A short, single-line description of the failure for the observation's detail. */
    public static String describe(Throwable error) {
        Throwable e = unwrap(error);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null
                ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        message = message.replace('\n', ' ');
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
