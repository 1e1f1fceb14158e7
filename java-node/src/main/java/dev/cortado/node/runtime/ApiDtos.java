package dev.cortado.node.runtime;

import dev.cortado.protocol.merkle.MerkleProof;
import dev.cortado.protocol.types.Bytes32;
import dev.cortado.protocol.types.Hex;
import java.util.List;

/** JSON shapes of the node API (see openapi.json). Byte strings are 0x-hex. */
public final class ApiDtos {
  private ApiDtos() {}

  public record Status(long height, long view, int leader, int nodeIndex, String publicKey, List<String> peers,
      String broker, int mempoolTransactions, long oldestHeight) {}

  public record Block(long height, long view, String commitment, long timestampMs, String parent, String payloadRoot,
      String vidRoot, String nsTableComm, long payloadBytes, String blockCommRoot, String header, String qc,
      int transactions, List<Long> namespaces) {}

  public record Proof(int index, int leafCount, List<String> siblings) {
    static Proof of(MerkleProof p) {
      return p == null ? null : new Proof(p.index(), p.leafCount(), p.siblings().stream().map(Bytes32::toHex).toList());
    }
  }

  public record Namespace(long height, long namespace, List<String> transactions, String nsTable, Proof proof) {}

  public record NamespaceLeaf(long namespace, String txRoot, long txCount, long byteLength) {}

  public record Transaction(String hash, long height, long namespace, int index, String payload, Proof txPath,
      NamespaceLeaf namespaceLeaf, String nsTable, Proof nsPath) {}

  static String hex(byte[] b) {
    return Hex.encode(b);
  }
}
