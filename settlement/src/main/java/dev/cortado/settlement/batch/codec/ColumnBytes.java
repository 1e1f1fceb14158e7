package dev.cortado.settlement.batch.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * One column of an {@link CodecId#ETH_COLUMNS} frame: its raw bytes and what it takes in the frame
 * (method and lengths included). The compression benchmark uses it to show where a frame's bytes go.
 *
 * @param raw the column before compression (a copy: the caller may keep it)
 */
public record ColumnBytes(String column, byte[] raw, int postedBytes) {

    /** The columns of {@code content}'s frame at zstd {@code level}, in body order. */
    public static List<ColumnBytes> of(BatchContent content, int level) {
        EthColumnsEncoder enc = new EthColumnsEncoder(content.plainLength());
        enc.write(content);
        List<ColumnBytes> out = new ArrayList<>();
        for (Column c : Column.ALL) {
            byte[] raw = enc.columns()[c.ordinal()].toArray();
            out.add(new ColumnBytes(c.name(), raw, EthColumnsBody.putColumn(new ByteSink(raw.length + 16), c, raw, level)));
        }
        return out;
    }
}
