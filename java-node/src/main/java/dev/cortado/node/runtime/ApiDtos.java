package dev.cortado.node.runtime;

import java.util.List;

/**
 * JSON shapes of the node API that the light client does not define (see openapi.json). Blocks,
 * namespaces and transactions are served as the light client's own records in
 * {@code dev.cortado.lightclient.api}.
 */
public final class ApiDtos {
  private ApiDtos() {}

  public record Status(long height, long view, int leader, int nodeIndex, String publicKey, List<String> peers,
      String broker, int mempoolTransactions, long oldestHeight) {}
}
