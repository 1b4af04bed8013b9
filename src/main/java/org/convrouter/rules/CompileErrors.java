package org.convrouter.rules;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the compiler's messages into ones an analyst can act on: placed on the line and column
 * of the mistake (Drools gives a consequence's errors the rule's first line, and a missing ")" the
 * line after), naming the valid values of an enum and the fields of a fact, and without Drools or
 * Java internals ("Parser returned a null Package", strict-mode, class names).
 */
final class CompileErrors {

    private static final Pattern STRICT_MODE = Pattern.compile("unable to resolve method using strict-mode: ([\\w.$]+)\\.(\\w+)\\(\\)");
    private static final Pattern PARSER = Pattern.compile("\\[ERR \\d+\\] Line (\\d+):(\\d+) (mismatched input|no viable alternative at input|extraneous input|missing \\S+ at) '([^']*)'(.*)", Pattern.DOTALL);
    private static final Pattern NOT_A_FIELD = Pattern.compile("(\\w+) cannot be resolved or is not a field");
    private static final Pattern NOT_RESOLVED = Pattern.compile("(\\w+) cannot be resolved(?: to a (variable|type))?");
    private static final Pattern NO_METHOD = Pattern.compile("The method (\\w+)\\(([^)]*)\\) is undefined for the type (\\w+)");
    private static final Pattern NO_CONSTRUCTOR = Pattern.compile("The constructor (\\w+)\\(([^)]*)\\) is undefined");
    private static final Pattern UNKNOWN_TYPE = Pattern.compile("Unable to resolve ObjectType '(\\w+)'");
    private static final Pattern INTERNAL_NAME = Pattern.compile("\\b(?:org\\.convrouter|java\\.lang|java\\.util|java\\.time)\\.(?:\\w+\\.)*(\\w+)");

    private CompileErrors() {}

    /** The errors to show: each rewritten, and "Parser returned a null Package" dropped (it only says the others exist). */
    static List<RuleError> explain(List<RuleError> raw, java.util.Map<String, String[]> texts) {
        List<RuleError> explained = new ArrayList<>();
        for (RuleError error : raw) {
            if (error.message().contains("Parser returned a null Package") && raw.size() > 1) {
                continue;
            }
            explained.add(explain(error, texts.get(error.file())));
        }
        return explained;
    }

    static RuleError explain(RuleError error, String[] lines) {
        String text = error.message();
        if (lines == null || RuleFile.isDecisionTable(error.file())) {
            return error;
        }
        Matcher parser = PARSER.matcher(text);
        if (parser.find()) {
            return parserError(error, lines, Integer.parseInt(parser.group(1)), Integer.parseInt(parser.group(2)), parser.group(4));
        }
        Matcher strict = STRICT_MODE.matcher(text);
        if (text.startsWith("Unable to Analyse Expression") && strict.find()) {
            return unknownMember(error, lines, strict.group(1), strict.group(2));
        }
        Matcher type = UNKNOWN_TYPE.matcher(text);
        if (type.find()) {
            return at(error, lines, error.line(), type.group(1), "there is no fact '" + type.group(1) + "'" + didYouMean(type.group(1),
                    factNames()) + "; the facts are: " + String.join(", ", factNames()));
        }
        if (text.startsWith("Rule Compilation error")) {
            return consequenceError(error, lines, text.substring("Rule Compilation error".length()).strip());
        }
        return new RuleError(error.file(), error.line(), error.column(), plain(text));
    }

    private static RuleError parserError(RuleError error, String[] lines, int line, int column, String input) {
        // A missing ")" shows only when the parser meets the next keyword, often on the next line.
        for (int i = line - 2; i >= 0 && line - i <= 3; i--) { // the line of the error, then up to two before it
            String code = withoutComment(lines[i]);
            int open = count(code, '('), close = count(code, ')');
            if (open > close && (i < line - 1 || column == 0)) {
                return new RuleError(error.file(), i + 1, code.stripTrailing().length() + 1,
                        "a ')' is missing at the end of this line (" + (open - close) + " '(' not closed)");
            }
            if (!code.isBlank()) {
                break;
            }
        }
        if (line >= 1 && line <= lines.length) {
            String code = withoutComment(lines[line - 1]);
            if (count(code, '(') > count(code, ')')) {
                return new RuleError(error.file(), line, column + 1, "unexpected '" + input + "': a ')' is missing before it");
            }
        }
        return new RuleError(error.file(), line, column + 1, "unexpected '" + input + "' here");
    }

    private static RuleError unknownMember(RuleError error, String[] lines, String owner, String member) {
        Optional<Class<?>> type = fact(owner);
        String simple = owner.substring(owner.lastIndexOf('.') + 1);
        if (type.isEmpty()) {
            return at(error, lines, error.line(), member, "'" + member + "' is not known here");
        }
        Class<?> fact = type.get();
        String message = fact.isEnum()
                ? simple + " has no value '" + member + "'" + didYouMean(member, values(fact)) + "; its values are: " + String.join(", ", values(fact))
                : simple + " has no field '" + member + "'" + didYouMean(member, fields(fact)) + "; its fields are: " + String.join(", ", fields(fact));
        return at(error, lines, error.line(), fact.isEnum() ? simple + "." + member : member, message);
    }

    private static RuleError consequenceError(RuleError error, String[] lines, String text) {
        Matcher m = NOT_A_FIELD.matcher(text);
        if (m.find()) {
            String name = m.group(1);
            for (Class<?> fact : facts()) { // Strategy.LEAST_BUZY: which enum is meant is on the line
                if (fact.isEnum() && findInRule(lines, error.line(), fact.getSimpleName() + "." + name) != null) {
                    return at(error, lines, error.line(), fact.getSimpleName() + "." + name, fact.getSimpleName() + " has no value '"
                            + name + "'" + didYouMean(name, values(fact)) + "; its values are: " + String.join(", ", values(fact)));
                }
            }
            return at(error, lines, error.line(), name, "'" + name + "' is not known here");
        }
        Matcher method = NO_METHOD.matcher(text);
        if (method.find()) {
            String name = method.group(1);
            String owner = method.group(3);
            Optional<Class<?>> fact = fact(owner);
            String known = fact.map(f -> didYouMean(name + "()", members(f)) + "; " + owner + " has: "
                    + String.join(", ", members(f))).orElse("");
            return at(error, lines, error.line(), "." + name + "(", owner + " has no '" + name + "'" + known);
        }
        m = NO_CONSTRUCTOR.matcher(text);
        if (m.find()) {
            Optional<Class<?>> fact = fact(m.group(1));
            String wanted = fact.filter(Class::isRecord).map(f -> " (it takes: " + String.join(", ",
                    Arrays.stream(f.getRecordComponents()).map(RecordComponent::getName).toList()) + ")").orElse("");
            return at(error, lines, error.line(), "new " + m.group(1), "new " + m.group(1) + " is not given the right values" + wanted);
        }
        m = NOT_RESOLVED.matcher(text);
        if (m.find()) {
            return at(error, lines, error.line(), m.group(1), "'" + m.group(1) + "' is not known here"
                    + ("type".equals(m.group(2)) ? ": import one of the facts (" + String.join(", ", factNames()) + ")" : ""));
        }
        return new RuleError(error.file(), error.line(), error.column(), plain(text));
    }

    /** The error at the first place in its rule where {@code token} appears, from {@code line} on. */
    private static RuleError at(RuleError error, String[] lines, int line, String token, String message) {
        int[] place = findInRule(lines, line, token);
        if (place == null && line < 1) {
            place = findInRule(lines, 1, token); // the compiler gave no line: the first place in the file
        }
        if (place == null) {
            return new RuleError(error.file(), error.line(), error.column(), message);
        }
        int column = place[1] < 0 ? 0 : place[1] + (token.startsWith(".") ? 1 : 0) + 1; // at the name, not its dot
        return new RuleError(error.file(), place[0], column, message);
    }

    /** {line, column from 0} of the token's first appearance from {@code line} to its rule's end, or null. */
    private static int[] findInRule(String[] lines, int line, String token) {
        for (int i = Math.max(line, 1) - 1; i < lines.length; i++) {
            String code = withoutComment(lines[i]);
            int at = indexOfWord(code, token, 0);
            if (at >= 0) { // twice on the line: which one is meant is unknown, so no column
                return new int[] {i + 1, indexOfWord(code, token, at + 1) >= 0 ? -1 : at};
            }
            if (i > Math.max(line, 1) - 1 && code.strip().equals("end")) {
                return null;
            }
        }
        return null;
    }

    private static int indexOfWord(String code, String token, int from) {
        for (int at = code.indexOf(token, from); at >= 0; at = code.indexOf(token, at + 1)) {
            boolean startOk = at == 0 || !Character.isJavaIdentifierPart(token.charAt(0))
                    || !Character.isJavaIdentifierPart(code.charAt(at - 1));
            int end = at + token.length();
            boolean endOk = end >= code.length() || !Character.isJavaIdentifierPart(token.charAt(token.length() - 1))
                    || !Character.isJavaIdentifierPart(code.charAt(end));
            if (startOk && endOk) {
                return at;
            }
        }
        return -1;
    }

    private static String withoutComment(String line) {
        int comment = line.indexOf("//");
        return comment < 0 ? line : line.substring(0, comment);
    }

    private static int count(String code, char c) {
        int n = 0;
        boolean quoted = false;
        for (char x : code.toCharArray()) {
            quoted ^= x == '"';
            n += !quoted && x == c ? 1 : 0;
        }
        return n;
    }

    /** Drools' text without its internals: no class names, no caret drawings, no "[ERR 102]". */
    static String plain(String text) {
        String first = text.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("[Near") && !l.strip().equals("^")
                && !l.strip().startsWith("[Line:")).findFirst().orElse(text).strip();
        first = first.replaceAll("\\[ERR \\d+\\] ", "").replaceAll("Line \\d+:\\d+ ", "");
        return INTERNAL_NAME.matcher(first).replaceAll("$1");
    }

    private static String didYouMean(String wrong, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(wrong.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, wrong.length() / 3) ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static List<Class<?>> facts() {
        List<Class<?>> facts = new ArrayList<>();
        for (String name : RuleSandbox.FACTS) {
            try {
                facts.add(Class.forName(name));
            } catch (ClassNotFoundException e) {
                // not in this build
            }
        }
        return facts;
    }

    private static List<String> factNames() {
        return facts().stream().filter(f -> !f.isEnum()).map(Class::getSimpleName).sorted().toList();
    }

    private static Optional<Class<?>> fact(String name) {
        String simple = name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
        return facts().stream().filter(f -> f.getSimpleName().equals(simple) || f.getName().equals(name)).findFirst();
    }

    private static List<String> values(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(Object::toString).toList();
    }

    /** The names a condition reads: record components, and beans' properties. */
    private static List<String> fields(Class<?> fact) {
        Set<String> names = new TreeSet<>();
        if (fact.isRecord()) {
            Arrays.stream(fact.getRecordComponents()).map(RecordComponent::getName).forEach(names::add);
        }
        for (Method m : fact.getMethods()) {
            if (m.getParameterCount() == 0 && m.getDeclaringClass() != Object.class && !Modifier.isStatic(m.getModifiers())
                    && m.getReturnType() != void.class) {
                String n = m.getName();
                if (n.startsWith("get") && n.length() > 3 && !n.equals("getClass")) {
                    names.add(Character.toLowerCase(n.charAt(3)) + n.substring(4));
                } else if (n.startsWith("is") && n.length() > 2) {
                    names.add(Character.toLowerCase(n.charAt(2)) + n.substring(3));
                } else if (!Set.of("hashCode", "toString").contains(n)) {
                    names.add(n);
                }
            }
        }
        return List.copyOf(names);
    }

    /** What a consequence may call on a fact: its public methods. */
    private static List<String> members(Class<?> fact) {
        Set<String> names = new TreeSet<>();
        for (Method m : fact.getMethods()) {
            if (m.getDeclaringClass() != Object.class && !Set.of("hashCode", "toString", "equals").contains(m.getName())) {
                names.add(m.getName() + "(" + (m.getParameterCount() == 0 ? "" : "...") + ")");
            }
        }
        return List.copyOf(names);
    }
}
