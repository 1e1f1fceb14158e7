package dev.cortado.settlement.l1;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.datatypes.CustomError;

/**
 * A contract's custom errors by 4-byte selector ({@code 0x…}, lower case), read from its generated web3j wrapper's
 * static {@link CustomError} fields, so a new error in the contract is decoded without touching the decoders.
 */
public final class ContractErrors {
    private ContractErrors() {
    }

    public static Map<String, CustomError> bySelector(Class<?> wrapper) {
        Map<String, CustomError> out = new HashMap<>();
        for (Field f : wrapper.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == CustomError.class) {
                try {
                    CustomError e = (CustomError) f.get(null);
                    out.put(selector(e), e);
                } catch (IllegalAccessException ex) {
                    throw new IllegalStateException("cannot read " + f, ex);
                }
            }
        }
        return Map.copyOf(out);
    }

    public static String selector(CustomError e) {
        return CustomErrorEncoder.encode(e).substring(0, 10).toLowerCase(Locale.ROOT);
    }
}
