package dev.cortado.settlement.auction;

import dev.cortado.contracts.generated.SequencingMarketplace;
import dev.cortado.settlement.l1.ContractErrors;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.Type;
import org.web3j.utils.Numeric;

/**
 * Names SequencingMarketplace.sol's revert data. The selectors come from the generated wrapper, so a
 * new error in the contract is decoded without touching this class.
 */
final class MarketplaceErrors {
    private static final Map<String, CustomError> BY_SELECTOR = ContractErrors.bySelector(SequencingMarketplace.class);

    private MarketplaceErrors() {
    }

    /** {@code Name(arg, ...)} of a marketplace custom error, or the raw data when it is none of them. */
    static String decode(String revertData) {
        String data = revertData.replace("\"", "").trim().toLowerCase(Locale.ROOT);
        CustomError error = data.length() >= 10 ? BY_SELECTOR.get(data.substring(0, 10)) : null;
        if (error == null) return "unknown revert " + data;
        try {
            @SuppressWarnings("rawtypes")
            List<Type> values = FunctionReturnDecoder.decode("0x" + data.substring(10), error.getParameters());
            return error.getName() + values.stream().map(v -> v.getValue() instanceof byte[] b ? Numeric.toHexString(b)
                    : String.valueOf(v.getValue())).collect(Collectors.joining(", ", "(", ")"));
        } catch (RuntimeException e) {
            return error.getName() + "(undecodable " + data + ")";
        }
    }
}
