package io.shoal.operator.reconcile;

/** CIDR syntax check without name resolution: IPv4 dotted quad or IPv6 literal, and a prefix length that fits. */
final class Cidr {

    private Cidr() {
    }

    static boolean isValid(String cidr) {
        if (cidr == null || cidr.length() > 64) {
            return false;
        }
        int slash = cidr.indexOf('/');
        if (slash < 0 || slash != cidr.lastIndexOf('/')) {
            return false;
        }
        String addr = cidr.substring(0, slash);
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (addr.contains(":")) {
            return isIpv6(addr) && prefix >= 0 && prefix <= 128;
        }
        return isIpv4(addr) && prefix >= 0 && prefix <= 32;
    }

    private static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String s) {
        if (!s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':')) {
            return false;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] groups = s.split(":", -1);
        int nonEmpty = 0;
        for (String g : groups) {
            if (g.length() > 4) {
                return false;
            }
            if (!g.isEmpty()) {
                nonEmpty++;
            }
        }
        return doubleColon >= 0 ? nonEmpty <= 7 : groups.length == 8 && nonEmpty == 8;
    }
}
