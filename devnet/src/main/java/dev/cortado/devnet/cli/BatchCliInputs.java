package dev.cortado.devnet.cli;

import java.net.URI;
import java.net.URISyntaxException;

/** One-line checks of the batch commands' URLs and addresses (never picocli's stack of errors). */
final class BatchCliInputs {
    private BatchCliInputs() {
    }

    static URI httpUrl(String option, String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("missing " + option + " URL");
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException(option + " must be an http(s) URL such as http://127.0.0.1:8545, got '"
                        + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " is not a URL: '" + text + "'", e);
        }
    }

    static String address(String option, String text) {
        if (text == null || !text.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException(option + " must be 0x followed by 40 hex digits, got '" + text + "'");
        }
        return text;
    }
}
