package io.shoal.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;

/** Contiguous slots {@code first..last}, both inclusive. In JSON: {@code [first, last]}. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
public record SlotRange(int first, int last) implements Comparable<SlotRange> {

    @JsonCreator
    public SlotRange {
        if (first < 0 || last >= Slots.COUNT || first > last) {
            throw new IllegalArgumentException("bad slot range " + first + ".." + last);
        }
    }

    public int size() {
        return last - first + 1;
    }

    public boolean contains(int slot) {
        return slot >= first && slot <= last;
    }

    @Override
    public int compareTo(SlotRange o) {
        return Integer.compare(first, o.first);
    }

    @Override
    public String toString() {
        return first + ".." + last;
    }
}
