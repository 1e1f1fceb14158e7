package dev.cortado.node.storage;

/** A RocksDB operation failed or stored bytes are inconsistent. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
