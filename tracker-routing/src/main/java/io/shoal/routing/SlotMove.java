package io.shoal.routing;

/** Slots that change owner between two slot maps. */
public record SlotMove(SlotRange slots, int fromShard, int toShard) {
}
