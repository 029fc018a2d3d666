package dev.upstreamguard.cli;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The command line of {@code check} and {@code explain}, one argument at a time, in kubectl's spelling: {@code -f V},
 * {@code --filename V} and {@code --filename=V} (short forms through the aliases), {@code -h}/{@code --help}, and
 * arguments that are no flag. Every flag takes a value. An unknown flag or a missing value is bad input, in the
 * command's own exception.
 */
final class Flags {
    private final String[] args;
    private final Map<String, String> aliases;
    private final Set<String> known;
    private final Function<String, RuntimeException> badInput;
    private int next;
    private String arg;
    private String flag;
    private String value;

    /** @param known the long flags the command takes, after the aliases are applied */
    Flags(String[] args, Map<String, String> aliases, Set<String> known, Function<String, RuntimeException> badInput) {
        this.args = args;
        this.aliases = aliases;
        this.known = known;
        this.badInput = badInput;
    }

    /** Moves to the next argument; false at the end. */
    boolean next() {
        if (next >= args.length) {
            return false;
        }
        arg = args[next++];
        flag = null;
        value = null;
        if (help() || positional()) {
            return true;
        }
        flag = arg;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
            flag = arg.substring(0, eq);
            value = arg.substring(eq + 1);
        }
        flag = aliases.getOrDefault(flag, flag);
        if (!known.contains(flag)) {
            throw badInput.apply("unknown flag " + arg + " (see --help)");
        }
        if (value == null) {
            if (next >= args.length) {
                throw badInput.apply("flag " + arg + " needs a value (see --help)");
            }
            value = args[next++];
        }
        return true;
    }

    /** {@code -h} or {@code --help}. */
    boolean help() {
        return arg.equals("-h") || arg.equals("--help");
    }

    /** An argument that is no flag (a URL, or a misplaced file name). */
    boolean positional() {
        return !arg.startsWith("-");
    }

    /** The argument as written. */
    String arg() {
        return arg;
    }

    /** The long flag (aliases applied), for a flag. */
    String flag() {
        return flag;
    }

    String value() {
        return value;
    }
}
