package dev.cortado.devnet.cli;

import dev.cortado.devnet.deploy.Deployment;
import dev.cortado.settlement.auction.MarketplaceGateway;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Where the marketplace is and who signs, shared by {@code bid}, {@code auction status} and
 * {@code resolve}. Every value is checked here rather than by picocli, so a bad one is a single line
 * through the CLI's error handler.
 */
public final class AuctionOptions {
    @Option(names = "--deployment", paramLabel = "FILE",
            description = "deployment.json written by ./cortado devnet (gives --rpc and --marketplace)")
    Path deployment;

    @Option(names = "--rpc", paramLabel = "URL", description = "L1 JSON-RPC URL (overrides the deployment's)")
    String rpc;

    @Option(names = "--marketplace", paramLabel = "0xADDR", description = "SequencingMarketplace address")
    String marketplace;

    @Option(names = "--key", paramLabel = "0xPRIVATEKEY", description = "the account's private key")
    String key;

    @Option(names = "--key-file", paramLabel = "FILE", description = "file holding the account's private key")
    Path keyFile;

    /** Connects, signing with the key when {@code needKey}; read-only otherwise. */
    MarketplaceGateway connect(boolean needKey) {
        String url = rpc;
        String address = marketplace;
        if (deployment != null) {
            if (!Files.isReadable(deployment)) throw new IllegalArgumentException("cannot read --deployment " + deployment);
            Deployment d = Deployment.read(deployment);
            if (url == null) url = d.rpcUrl();
            if (address == null) address = d.marketplace().address();
        }
        if (url == null) throw new IllegalArgumentException("give --deployment FILE, or --rpc URL and --marketplace 0xADDR");
        checkHttp(url);
        if (address == null) throw new IllegalArgumentException("missing --marketplace address (or --deployment FILE)");
        if (!address.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("--marketplace must be 0x followed by 40 hex digits, got '" + address + "'");
        }
        Credentials credentials = needKey || key != null || keyFile != null ? credentials() : null;
        return MarketplaceGateway.connect(url, address, credentials);
    }

    private static void checkHttp(String url) {
        try {
            URI uri = new URI(url.strip());
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException("--rpc must be an http(s) URL such as http://127.0.0.1:8545, got '" + url + "'");
            }
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--rpc is not a URL: '" + url + "'", e);
        }
    }

    private Credentials credentials() {
        return CliKeys.credentials(key, keyFile, "this command signs transactions: give --key 0x... or --key-file FILE");
    }

    /** Wei from {@code 1000}, {@code 5gwei} or {@code 0.1eth}; whole wei only. */
    static BigInteger wei(String option, String text) {
        if (text == null) throw new IllegalArgumentException("missing " + option);
        String t = text.strip().toLowerCase(Locale.ROOT);
        int scale = 0;
        if (t.endsWith("gwei")) {
            scale = 9;
            t = t.substring(0, t.length() - 4);
        } else if (t.endsWith("eth")) {
            scale = 18;
            t = t.substring(0, t.length() - 3);
        } else if (t.endsWith("wei")) {
            t = t.substring(0, t.length() - 3);
        }
        try {
            BigDecimal v = new BigDecimal(t).movePointRight(scale);
            if (v.signum() < 0) throw new IllegalArgumentException(option + " must not be negative, got '" + text + "'");
            return v.toBigIntegerExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " must be an amount such as 1000, 5gwei or 0.1eth (whole wei), got '"
                    + text + "'");
        }
    }

    static long nonNegative(String option, String text) {
        try {
            long v = Long.parseLong(text.strip());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number >= 0, got '" + text + "'");
        }
    }

    static Duration duration(String option, String text) {
        try {
            return new DurationConverter().convert(text);
        } catch (TypeConversionException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    /** A bundle from rollup indexes such as {@code 0,3,5}. */
    static BigInteger bundle(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("missing --bundle (rollup indexes, e.g. 0,3,5)");
        BigInteger bits = BigInteger.ZERO;
        for (String part : text.split(",")) {
            String p = part.strip();
            int i;
            try {
                i = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--bundle lists rollup indexes 0..255 separated by commas, got '" + text + "'");
            }
            if (i < 0 || i > 255) throw new IllegalArgumentException("--bundle: rollup index " + i + " is outside 0..255");
            if (bits.testBit(i)) throw new IllegalArgumentException("--bundle names rollup " + i + " twice");
            bits = bits.setBit(i);
        }
        return bits;
    }
}
