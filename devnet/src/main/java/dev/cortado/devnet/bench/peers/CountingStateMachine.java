package dev.cortado.devnet.bench.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The Ratis side of {@code bench peers}: a state machine that only counts the transactions of each committed
 * entry and appends their bytes to a file, so Ratis does the least application work Cortado could be compared
 * with. An entry is one load-generator batch ({@link TxBatch}); a malformed one is refused before it is logged.
 * A query answers the counts ({@link Counts}).
 */
final class CountingStateMachine extends BaseStateMachine {
    private final Path storeFile;
    private final AtomicLong txs = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private FileChannel store;

    CountingStateMachine(Path storeFile) {
        this.storeFile = storeFile;
    }

    /** Transactions and payload bytes applied so far, as a query answers them. */
    record Counts(long txs, long bytes) {
        static final int SIZE = 16;

        Message toMessage() {
            return Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(SIZE).putLong(txs).putLong(bytes).flip()));
        }

        static Counts from(Message m) {
            ByteString content = m.getContent();
            if (content.size() != SIZE) {
                throw new IllegalArgumentException("counts reply has " + content.size() + " bytes, expected " + SIZE);
            }
            ByteBuffer b = content.asReadOnlyByteBuffer();
            return new Counts(b.getLong(), b.getLong());
        }
    }

    private synchronized FileChannel store() throws IOException {
        if (store == null) {
            store = FileChannel.open(storeFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return store;
    }

    /** Refuses a malformed batch before it reaches the log, so every logged entry can be applied. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        try {
            TxBatch.count(request.getMessage().getContent().asReadOnlyByteBuffer());
        } catch (IllegalArgumentException e) {
            // An exception on the context makes the leader answer the client (no retry) and log nothing.
            TransactionContext refused = TransactionContext.newBuilder().setStateMachine(this).setServerRole(RaftPeerRole.LEADER)
                    .setClientRequest(request).build();
            return refused.setException(new IOException("refused batch: " + e.getMessage()));
        }
        return super.startTransaction(request);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        ByteString data = entry.getStateMachineLogEntry().getLogData();
        try {
            int n = TxBatch.count(data.asReadOnlyByteBuffer());
            FileChannel out = store();
            for (ByteBuffer b : data.asReadOnlyByteBufferList()) {
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
            long total = txs.addAndGet(n);
            bytes.addAndGet(data.size() - 2L * n);
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(total).flip())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(new Counts(txs.get(), bytes.get()).toMessage());
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (store != null) {
                store.close();
            }
        }
        super.close();
    }
}
