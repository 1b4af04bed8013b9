package org.convrouter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options after a command: {@code --name value} or {@code --name=value}, each from a fixed
 * set with its default. Parsed by hand: the command line has three commands and six options, and
 * the library it used before cost a quarter of a second of every start-up (its Java 5 classes
 * cannot be class-data-shared, so each start loaded and verified 168 of them).
 */
record Arguments(Map<String, String> values) {

    /** Thrown for input the command line refuses; the message says what was wrong. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * Parses {@code args} against {@code defaults} (every option the command knows, with its
     * default; a null default means the option is unset unless given).
     */
    static Arguments parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = equals > 0 ? arg.substring(0, equals) : arg;
            if (!name.startsWith("--") || !defaults.containsKey(name.substring(2))) {
                throw new Refused(name.startsWith("-") ? "Unknown option: '" + name + "'" : "Unexpected argument: '" + arg + "'");
            }
            String value;
            if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new Refused("Missing value for option '" + name + "'");
            }
            values.put(name.substring(2), value);
        }
        return new Arguments(values);
    }

    String get(String name) {
        return values.get(name);
    }

    int port(String name) {
        String value = values.get(name);
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65_535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new Refused("Invalid value for option '--" + name + "': '" + value + "' is not a port number (0-65535)");
        }
    }
}
