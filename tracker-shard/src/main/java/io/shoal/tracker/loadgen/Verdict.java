package io.shoal.tracker.loadgen;

/** What the load generator concluded about one reply; all but {@link #OK} and {@link #TRACKER_ERROR} are invalid. */
enum Verdict {
    OK,
    /** A well-formed BEP 15 error reply (action 3); counted as an error, not as invalid. */
    TRACKER_ERROR,
    TOO_SHORT,
    UNKNOWN_TRANSACTION,
    WRONG_SOCKET,
    WRONG_ACTION,
    BAD_LENGTH,
    TOO_MANY_PEERS,
    BAD_INTERVAL,
    NEGATIVE_COUNT,
    IMPLAUSIBLE_COUNT,
    SELF_PEER,
    FOREIGN_PEER,
    DUPLICATE_PEER,
    /** HTTP: a status other than 200 without a bencoded failure reason. */
    BAD_STATUS,
    /** HTTP: a body the strict bencode decoder refuses, or a response that cannot be framed. */
    NOT_BENCODE,
    /** HTTP: a required key missing or of the wrong type. */
    MISSING_FIELD;

    boolean isInvalid() {
        return this != OK && this != TRACKER_ERROR;
    }
}
