package dev.cortado.devnet.bench.peers;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * One Apache Ratis peer process of {@code bench peers}. Arguments: {@code <index> <group uuid> <host:port,...>
 * <data dir>}; it serves until it is terminated.
 */
public final class RatisPeerMain {
    /**
     * Election timeouts like Cortado's bench view timeout (1 s): Ratis's 150-300 ms default would make the peers
     * elect new leaders whenever the shared 2-core machine stalls a process, which measures the machine, not Raft.
     */
    static final TimeDuration ELECTION_MIN = TimeDuration.valueOf(1000, java.util.concurrent.TimeUnit.MILLISECONDS);
    static final TimeDuration ELECTION_MAX = TimeDuration.valueOf(2000, java.util.concurrent.TimeUnit.MILLISECONDS);

    private RatisPeerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: RatisPeerMain <index> <group uuid> <host:port,...> <data dir>");
        }
        int index = Integer.parseInt(args[0]);
        RaftGroup group = group(UUID.fromString(args[1]), List.of(args[2].split(",")));
        RaftPeer self = group.getPeers().stream().filter(p -> p.getId().equals(peerId(index))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no peer " + index + " in " + args[2]));
        Path dir = Path.of(args[3]);
        Files.createDirectories(dir);
        RaftProperties props = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(props, List.of(new File(dir.toFile(), "raft")));
        RaftServerConfigKeys.Rpc.setTimeoutMin(props, ELECTION_MIN);
        RaftServerConfigKeys.Rpc.setTimeoutMax(props, ELECTION_MAX);
        // A batch at 20,000 tx/s is 80 KB; the 64 KB default write buffer would not hold one entry.
        RaftServerConfigKeys.Log.setWriteBufferSize(props, SizeInBytes.valueOf("8MB"));
        String address = self.getAddress();
        GrpcConfigKeys.Server.setHost(props, address.substring(0, address.lastIndexOf(':')));
        GrpcConfigKeys.Server.setPort(props, Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
        RaftServer server = RaftServer.newBuilder().setGroup(group).setProperties(props).setServerId(self.getId())
                .setStateMachine(new CountingStateMachine(dir.resolve("entries.bin"))).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("close failed: " + e);
            }
            stopped.countDown();
        }));
        server.start();
        System.out.println("ratis peer " + index + " serving on " + address);
        stopped.await();
    }

    static RaftPeerId peerId(int index) {
        return RaftPeerId.valueOf("p" + index);
    }

    static RaftGroup group(UUID id, List<String> addresses) {
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            peers.add(RaftPeer.newBuilder().setId(peerId(i)).setAddress(addresses.get(i)).build());
        }
        return RaftGroup.valueOf(RaftGroupId.valueOf(id), peers);
    }
}
