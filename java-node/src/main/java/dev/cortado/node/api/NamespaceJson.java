package dev.cortado.node.api;

import dev.cortado.lightclient.api.NamespaceAnswer;
import dev.cortado.lightclient.api.TransactionAnswer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * Namespaces in answers: a JSON number while a JavaScript number holds it exactly (up to 2^53 - 1),
 * a decimal string above. The answer records live in the light client, which stays free of this
 * JSON policy, so the rule is attached here as Jackson mix-ins.
 */
final class NamespaceJson extends ValueSerializer<Long> {
    @Override
    public void serialize(Long value, JsonGenerator gen, SerializationContext ctxt) {
        if (value >= 0 && value <= SubmitBodies.MAX_SAFE_INTEGER) {
            gen.writeNumber(value);
        } else {
            gen.writeString(Long.toUnsignedString(value));
        }
    }

    static JsonMapper.Builder register(JsonMapper.Builder b) {
        return b.addMixIn(NamespaceAnswer.class, NamespaceField.class).addMixIn(TransactionAnswer.class, NamespaceField.class);
    }

    private abstract static class NamespaceField {
        @JsonSerialize(using = NamespaceJson.class)
        abstract long namespace();
    }
}
