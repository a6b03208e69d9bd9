package io.shoal.operator.api.v1alpha1;

/** How an access list is read. */
public enum AccessMode {
    /** Only the listed infohashes are tracked. */
    Allow,
    /** Every infohash except the listed ones is tracked. */
    Deny
}
