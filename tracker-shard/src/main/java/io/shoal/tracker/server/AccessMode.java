package io.shoal.tracker.server;

/** How an access list is read: {@code ALLOW} serves only listed hashes, {@code DENY} refuses listed hashes. */
public enum AccessMode {
    ALLOW,
    DENY
}
