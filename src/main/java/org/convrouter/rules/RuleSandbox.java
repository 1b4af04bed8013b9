package org.convrouter.rules;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.base.definitions.InternalKnowledgePackage;
import org.drools.core.rule.JavaDialectRuntimeData;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Keeps rules to what policy needs. Drools has no sandbox and DRL consequences are Java, so a rule
 * set is refused, before any of it runs, when it references a class or member outside an
 * allow-list: the fact model and its actions, and side-effect-free text, number, collection and
 * {@code java.time} value methods. Two views are checked, because neither sees everything:
 * the classes the compiler generated (consequences, evals, functions), read with ASM, list every
 * method, field and class they touch; pattern constraints and {@code from} sources are MVEL compiled
 * later, outside those classes, so their text is checked, along with constructs the class check
 * cannot see ({@code dialect "mvel"}, {@code declare}, static imports). Loops are refused too:
 * together with the allow-list (no regular expressions, no streams) that bounds the time one rule
 * firing can take; {@link RuleSet#run} bounds the number of firings and the wall-clock time.
 */
final class RuleSandbox {

    static final String GUIDE = "rules may use only the facts, their actions and plain values (see rules/README.md)";

    /** The fact model: every public member of these is allowed. Missing ones are skipped. */
    static final List<String> FACTS = List.of(
            "org.convrouter.routing.Candidate", "org.convrouter.routing.CandidateRole", "org.convrouter.routing.Exclusion",
            "org.convrouter.routing.RoutingDecision", "org.convrouter.routing.Strategy",
            "org.convrouter.routing.IncomingMessage", "org.convrouter.routing.Notification",
            "org.convrouter.routing.Clock", "org.convrouter.directory.Channel", "org.convrouter.directory.ChannelKind",
            "org.convrouter.directory.Contact", "org.convrouter.directory.RoutingSettings",
            "org.convrouter.directory.Inbox", "org.convrouter.directory.Seat", "org.convrouter.directory.AssignTo",
            "org.convrouter.directory.AssignToType", "org.convrouter.directory.Team",
            "org.convrouter.conversation.AssignmentRequest", "org.convrouter.conversation.Refusal");

    private static final Set<String> OBJECT = Set.of("<init>", "equals", "hashCode", "toString");
    private static final Set<String> NUMBER = Set.of("<init>", "valueOf", "parseInt", "parseLong", "parseDouble",
            "parseBoolean", "intValue", "longValue", "doubleValue", "floatValue", "shortValue", "byteValue",
            "booleanValue", "charValue", "compare", "compareTo", "equals", "hashCode", "toString", "min", "max", "sum",
            "signum", "abs", "isDigit", "isLetter", "isLetterOrDigit", "isWhitespace", "isUpperCase", "isLowerCase",
            "toUpperCase", "toLowerCase", "isNaN", "isInfinite");
    /** String without regular expressions (their time is unbounded), repeat (its memory) and streams. */
    private static final Set<String> STRING = Set.of("<init>", "length", "isEmpty", "isBlank", "charAt", "equals",
            "equalsIgnoreCase", "compareTo", "compareToIgnoreCase", "contains", "contentEquals", "startsWith",
            "endsWith", "indexOf", "lastIndexOf", "substring", "toLowerCase", "toUpperCase", "trim", "strip",
            "stripLeading", "stripTrailing", "replace", "concat", "valueOf", "join", "format", "formatted", "hashCode",
            "toString", "regionMatches");
    private static final Set<String> COLLECTION = Set.of("<init>", "size", "isEmpty", "contains", "containsAll",
            "containsKey", "containsValue", "get", "getOrDefault", "indexOf", "lastIndexOf", "of", "copyOf", "equals",
            "hashCode", "toString", "add", "addAll", "put", "putAll", "keySet", "values", "subList", "getKey", "getValue",
            "emptyList", "emptySet", "emptyMap", "singletonList", "singleton", "unmodifiableList", "first", "last");
    private static final Set<String> MATH = Set.of("abs", "min", "max", "floor", "ceil", "round", "signum", "floorDiv",
            "floorMod", "addExact", "subtractExact", "multiplyExact", "toIntExact");
    private static final Set<String> BIG = Set.of("<init>", "valueOf", "add", "subtract", "multiply", "divide",
            "remainder", "negate", "abs", "compareTo", "equals", "hashCode", "toString", "toPlainString", "setScale",
            "scale", "signum", "min", "max", "intValue", "longValue", "doubleValue", "intValueExact", "longValueExact");
    private static final Set<String> ENUM = Set.of("name", "ordinal", "compareTo", "equals", "hashCode", "toString", "valueOf");
    /** Actions a consequence takes through Drools ({@code insert}, {@code modify} compiles to update). */
    private static final Set<String> KNOWLEDGE_HELPER = Set.of("insert", "insertLogical", "update", "delete", "retract");

    /** Value classes: owner (internal name) to the methods allowed on it. */
    private static final Map<String, Set<String>> VALUES = new HashMap<>();

    static {
        VALUES.put("java/lang/Object", OBJECT);
        VALUES.put("java/lang/String", STRING);
        VALUES.put("java/lang/CharSequence", Set.of("length", "charAt", "isEmpty", "toString"));
        VALUES.put("java/lang/StringBuilder", Set.of("<init>", "append", "toString", "length"));
        for (String n : List.of("Integer", "Long", "Double", "Float", "Short", "Byte", "Boolean", "Character", "Number")) {
            VALUES.put("java/lang/" + n, NUMBER);
        }
        VALUES.put("java/lang/Math", MATH);
        VALUES.put("java/lang/Enum", ENUM);
        VALUES.put("java/math/BigDecimal", BIG);
        VALUES.put("java/math/BigInteger", BIG);
        VALUES.put("java/util/Objects", Set.of("equals", "hash", "hashCode", "isNull", "nonNull", "requireNonNull",
                "requireNonNullElse", "toString"));
        for (String n : List.of("List", "Set", "Map", "Collection", "ArrayList", "HashMap", "HashSet", "LinkedHashMap",
                "LinkedHashSet", "Collections", "Map$Entry", "SortedSet", "TreeSet", "TreeMap", "Optional")) {
            VALUES.put("java/util/" + n, COLLECTION);
        }
        // Exceptions a consequence may throw to refuse a case it cannot handle.
        for (String n : List.of("IllegalStateException", "IllegalArgumentException", "RuntimeException")) {
            VALUES.put("java/lang/" + n, Set.of("<init>"));
        }
    }

    /** java.time is allowed whole, except what reads the system clock or the machine's zone. */
    private static final Set<String> TIME_REFUSED = Set.of("now", "systemDefault", "systemUTC", "systemDefaultZone");

    /** Names that have no place in policy, refused wherever they appear in code, with why. */
    private static final Map<String, String> REFUSED_NAMES = new LinkedHashMap<>();

    static {
        String control = "controls the service's process";
        for (String n : List.of("System", "Runtime", "ProcessBuilder", "Process", "exit", "halt", "exec", "getRuntime",
                "kcontext", "drools", "Unsafe", "ScriptEngine", "ScriptEngineManager")) {
            REFUSED_NAMES.put(n, control);
        }
        for (String n : List.of("Thread", "ThreadLocal", "sleep", "wait", "notify", "notifyAll", "synchronized",
                "Executors", "ExecutorService", "CompletableFuture", "ForkJoinPool", "Timer")) {
            REFUSED_NAMES.put(n, "starts, stops or waits for threads");
        }
        for (String n : List.of("Class", "ClassLoader", "getClass", "class", "forName", "getClassLoader", "reflect",
                "Method", "Field", "invoke", "newInstance", "MethodHandles", "MethodHandle", "getDeclaredMethod",
                "getMethod", "getDeclaredField", "setAccessible", "Proxy")) {
            REFUSED_NAMES.put(n, "uses reflection");
        }
        for (String n : List.of("File", "Files", "Path", "Paths", "FileInputStream", "FileOutputStream", "FileReader",
                "FileWriter", "RandomAccessFile", "Socket", "ServerSocket", "URL", "URI", "HttpClient", "HttpURLConnection",
                "InetAddress", "DatagramSocket", "PrintStream", "InputStream", "OutputStream")) {
            REFUSED_NAMES.put(n, "reads or writes files or the network");
        }
        for (String n : List.of("now", "currentTimeMillis", "nanoTime", "systemDefault", "systemUTC", "systemDefaultZone")) {
            REFUSED_NAMES.put(n, "reads the system clock: use the Clock fact, which scenarios can fix");
        }
        for (String n : List.of("java", "javax", "jdk", "sun", "com", "net")) {
            REFUSED_NAMES.put(n, "names a class by its full name: import it, if it is one rules may use");
        }
        for (String n : List.of("while", "for", "do")) {
            REFUSED_NAMES.put(n, "is a loop: a rule handles one case, and a loop could run for ever; write a rule per case");
        }
        for (String n : List.of("matches", "replaceAll", "replaceFirst", "split", "Pattern", "Matcher", "soundslike")) {
            REFUSED_NAMES.put(n, "uses a regular expression, whose time has no bound: use contains, startsWith or endsWith");
        }
        for (String n : List.of("repeat", "stream", "chars", "codePoints", "lines", "forEach", "iterator", "random",
                "Random", "pow", "intern")) {
            REFUSED_NAMES.put(n, "is not among the value methods rules may use");
        }
    }

    /** DRL words that may be followed by "(" in a condition without being a method call. */
    private static final Set<String> DRL_CALLS = Set.of("eval", "not", "exists", "forall", "accumulate", "acc",
            "collect", "from", "in", "count", "sum", "min", "max", "average", "collectList", "collectSet", "init",
            "action", "reverse", "result", "over", "window", "entry", "if", "or", "and", "memberOf", "contains");

    private RuleSandbox() {}

    /**
     * What the text shows outside the allow-list, located: run before the compiler, so a refused
     * rule set is never built. Conditions are checked here because they compile later, as MVEL.
     */
    static List<RuleError> checkText(List<RuleFile> files) {
        List<RuleError> errors = new ArrayList<>();
        for (RuleFile file : files) {
            checkText(file.name(), DecisionTableRows.compiledText(file), errors);
        }
        return firstOnEachLine(errors);
    }

    /** What the compiled consequences, evals and functions reference outside the allow-list, located. */
    static List<RuleError> checkClasses(List<RuleFile> files, KieBase kieBase) {
        List<RuleError> errors = new ArrayList<>();
        Map<String, String[]> texts = new LinkedHashMap<>();
        for (RuleFile file : files) {
            texts.put(file.name(), DecisionTableRows.compiledText(file).split("\\R", -1));
        }
        checkClasses(texts, kieBase, errors);
        return firstOnEachLine(errors);
    }

    /** One problem per line is enough to act on: "System.exit" is one mistake, not two. */
    private static List<RuleError> firstOnEachLine(List<RuleError> errors) {
        Map<String, RuleError> first = new LinkedHashMap<>();
        errors.forEach(e -> first.putIfAbsent(e.file() + ":" + e.line(), e));
        return List.copyOf(first.values());
    }

    // ---- text ------------------------------------------------------------------------------------

    private record Token(String text, boolean identifier, boolean string, int line, int column) {}

    private static final Set<String> ALLOWED_TYPES = new HashSet<>();
    private static final Set<String> ALLOWED_METHOD_NAMES = new HashSet<>();
    /** The facts' actions (methods returning nothing): they belong after "then", never in a condition. */
    private static final Set<String> ACTIONS = new HashSet<>();

    static {
        for (String fact : FACTS) {
            try {
                Class<?> type = Class.forName(fact);
                ALLOWED_TYPES.add(type.getSimpleName());
                ALLOWED_TYPES.add(fact);
                for (Method m : type.getMethods()) {
                    if (!REFUSED_NAMES.containsKey(m.getName())) {
                        ALLOWED_METHOD_NAMES.add(m.getName());
                    }
                    if (m.getReturnType() == void.class && m.getDeclaringClass() != Object.class) {
                        ACTIONS.add(m.getName());
                    }
                }
            } catch (ClassNotFoundException e) {
                // a fact this build does not have: nothing to allow
            }
        }
        Set<String> readers = new HashSet<>(); // a name that also reads (RoutingSettings.assignTo()) is no action
        for (String fact : FACTS) {
            try {
                for (Method m : Class.forName(fact).getMethods()) {
                    if (m.getReturnType() != void.class) {
                        readers.add(m.getName());
                    }
                }
            } catch (ClassNotFoundException e) {
                // not in this build
            }
        }
        ACTIONS.removeAll(readers);
        VALUES.forEach((owner, names) -> {
            ALLOWED_TYPES.add(owner.substring(owner.lastIndexOf('/') + 1).replace('$', '.'));
            names.stream().filter(n -> !n.equals("<init>")).forEach(ALLOWED_METHOD_NAMES::add);
        });
        for (String time : List.of("LocalTime", "LocalDate", "LocalDateTime", "DayOfWeek", "Duration", "Period",
                "ZonedDateTime", "ZoneId", "Month", "YearMonth", "MonthDay", "ChronoUnit", "ZoneOffset")) {
            ALLOWED_TYPES.add(time);
            try {
                Class<?> type = Class.forName((time.equals("ChronoUnit") ? "java.time.temporal." : "java.time.") + time);
                for (Method m : type.getMethods()) {
                    if (!TIME_REFUSED.contains(m.getName()) && !REFUSED_NAMES.containsKey(m.getName())) {
                        ALLOWED_METHOD_NAMES.add(m.getName());
                    }
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        ALLOWED_TYPES.removeIf(REFUSED_NAMES::containsKey);
    }

    private static void checkText(String file, String text, List<RuleError> errors) {
        List<Token> tokens = tokens(text);
        Set<String> functions = new HashSet<>();
        for (int i = 0; i + 2 < tokens.size(); i++) {
            if (tokens.get(i).text.equals("function")) { // function <type> <name>( ...
                for (int j = i + 1; j < tokens.size() && j < i + 8; j++) {
                    if (tokens.get(j).text.equals("(")) {
                        functions.add(tokens.get(j - 1).text);
                        break;
                    }
                }
            }
        }
        String section = "top"; // top, lhs (conditions and queries), rhs (consequences)
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token previous = i > 0 ? tokens.get(i - 1) : null;
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (t.string) {
                if (previous != null && previous.text.equals("dialect") && t.text.replace("'", "\"").equals("\"mvel\"")) {
                    errors.add(at(file, t, "dialect \"mvel\" is not allowed: rules are written in the default (Java) dialect"));
                }
                continue;
            }
            if (t.text.equals("\\")) {
                errors.add(at(file, t, "a \\ outside quotes is not allowed: unicode escapes can hide code"));
                continue;
            }
            if (!t.identifier) {
                continue;
            }
            boolean startOfLine = previous == null || previous.line != t.line;
            switch (t.text) {
                case "when" -> { if (startOfLine || !section.equals("rhs")) { section = "lhs"; } }
                case "query" -> { if (startOfLine) { section = "lhs"; } }
                case "then" -> { if (section.equals("lhs") && !(previous != null && previous.text.equals("."))) { section = "rhs"; } }
                case "end" -> { if (startOfLine) { section = "top"; } }
                case "rule" -> { if (startOfLine) { section = "lhs"; } } // attributes such as salience are MVEL too
                case "function" -> { if (startOfLine) { section = "top"; } }
                default -> { }
            }
            if (section.equals("top") && startOfLine && t.text.equals("declare")) {
                errors.add(at(file, t, "declare is not allowed: rules work on the facts described in rules/README.md"));
            }
            if (section.equals("top") && startOfLine && t.text.equals("import")) {
                checkImport(file, tokens, i, errors);
                continue;
            }
            if (previous != null && previous.text.equals("import")) {
                continue; // checked with its import
            }
            String why = REFUSED_NAMES.get(t.text);
            if (t.text.equals("org")) {
                boolean ours = next != null && next.text.equals(".") && i + 2 < tokens.size()
                        && tokens.get(i + 2).text.equals("convrouter");
                why = ours ? null : REFUSED_NAMES.get("java");
            }
            if (previous != null && previous.text.equals("@")) {
                continue; // rule metadata such as @summary("..."), never code
            }
            if (why != null) {
                errors.add(at(file, t, "'" + t.text + "' " + why + "; " + GUIDE));
                continue;
            }
            if (!section.equals("lhs")) {
                continue;
            }
            // Conditions are MVEL, compiled after this check: every call in them must be allowed by name.
            boolean call = next != null && next.text.equals("(");
            boolean member = previous != null && previous.text.equals(".");
            if (call && ACTIONS.contains(t.text)) {
                errors.add(at(file, t, "'" + t.text + "(...)' is an action: actions go after 'then', not in a condition"));
            } else if (call && member && !ALLOWED_METHOD_NAMES.contains(t.text)) {
                errors.add(at(file, t, "'" + t.text + "(...)' is not a method rules may call; " + GUIDE));
            } else if (call && !member && !DRL_CALLS.contains(t.text) && !ALLOWED_TYPES.contains(t.text)
                    && !ALLOWED_METHOD_NAMES.contains(t.text) // a fact's own method, called on the pattern's fact
                    && !functions.contains(t.text) && !Character.isUpperCase(t.text.charAt(0))) {
                errors.add(at(file, t, "'" + t.text + "(...)' is not a method rules may call; " + GUIDE));
            } else if (previous != null && previous.text.equals("new") && !ALLOWED_TYPES.contains(t.text)) {
                errors.add(at(file, t, "'new " + t.text + "' is not allowed in a condition; " + GUIDE));
            } else if (!member && Character.isUpperCase(t.text.charAt(0)) && next != null && next.text.equals(".")
                    && !ALLOWED_TYPES.contains(t.text) && !t.text.startsWith("$")) {
                errors.add(at(file, t, "'" + t.text + "' is not a class rules may use; " + GUIDE));
            }
        }
    }

    private static void checkImport(String file, List<Token> tokens, int at, List<RuleError> errors) {
        StringBuilder name = new StringBuilder();
        int i = at + 1;
        int line = tokens.get(at).line;
        for (; i < tokens.size() && tokens.get(i).line == line && !tokens.get(i).text.equals(";"); i++) {
            name.append(tokens.get(i).text);
        }
        String imported = name.toString();
        if (imported.startsWith("function") || imported.startsWith("static")) {
            errors.add(at(file, tokens.get(at), "'import " + imported.replaceFirst("^(function|static)", "$1 ")
                    + "' is not allowed: static imports bring in code the rule set does not show; " + GUIDE));
        } else if (!FACTS.contains(imported) && !isValueClass(imported) && !FACT_PACKAGES.contains(imported)) {
            errors.add(at(file, tokens.get(at), "'import " + imported + "' is not allowed; " + GUIDE));
        }
    }

    /**
     * Wildcards over the fact packages bring in other classes too; harmless, as any use of one is
     * refused (by the class check in code, by the text check in conditions).
     */
    private static final Set<String> FACT_PACKAGES = Set.of("org.convrouter.routing.*", "org.convrouter.directory.*",
            "org.convrouter.conversation.*", "java.time.*");

    private static boolean isValueClass(String imported) {
        String internal = imported.replace('.', '/');
        return VALUES.containsKey(internal) || imported.startsWith("java.time.") && !imported.equals("java.time.Clock")
                && !imported.equals("java.time.InstantSource") && !imported.endsWith("*");
    }

    private static RuleError at(String file, Token token, String message) {
        return new RuleError(file, token.line, token.column, message);
    }

    /** Identifiers, strings and single symbols with their line and column (from 1); comments are dropped. */
    private static List<Token> tokens(String code) {
        List<Token> tokens = new ArrayList<>();
        int line = 1;
        int lineStart = 0;
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = ++i;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && code.charAt(i + 1) == '/' || c == '#') {
                while (i < n && code.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && code.charAt(i + 1) == '*') {
                int end = code.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (int k = i; k < end; k++) {
                    if (code.charAt(k) == '\n') {
                        line++;
                        lineStart = k + 1;
                    }
                }
                i = end;
            } else if (c == '"' || c == '\'') {
                int start = i++;
                while (i < n && code.charAt(i) != c && code.charAt(i) != '\n') {
                    i += code.charAt(i) == '\\' ? 2 : 1;
                }
                i = Math.min(i + 1, n);
                tokens.add(new Token(code.substring(start, Math.min(i, n)), false, true, line, start - lineStart + 1));
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = i++;
                while (i < n && Character.isJavaIdentifierPart(code.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(code.substring(start, i), true, false, line, start - lineStart + 1));
            } else {
                tokens.add(new Token(String.valueOf(c), false, false, line, i - lineStart + 1));
                i++;
            }
        }
        return tokens;
    }

    // ---- compiled classes ------------------------------------------------------------------------

    private static final Pattern RULE_DECLARATION = Pattern.compile("^\\s*rule\\s+(\"([^\"]*)\"|'([^']*)'|(\\S+))");
    private static final Pattern FUNCTION_DECLARATION = Pattern.compile("^\\s*function\\s+[\\w.<>\\[\\], ]+?\\s+(\\w+)\\s*\\(");

    /** Where a rule or function is declared, so a generated class can be reported there. */
    private record Origin(String file, int line, String what) {}

    private static void checkClasses(Map<String, String[]> texts, KieBase kieBase, List<RuleError> errors) {
        Map<String, Origin> byClassPrefix = new HashMap<>(); // "Rule_<legal name>" or the function's class
        texts.forEach((file, lines) -> {
            for (int i = 0; i < lines.length; i++) {
                Matcher rule = RULE_DECLARATION.matcher(lines[i]);
                if (rule.find()) {
                    String name = rule.group(2) != null ? rule.group(2) : rule.group(3) != null ? rule.group(3) : rule.group(4);
                    byClassPrefix.put("Rule_" + legalName(name), new Origin(file, i + 1, "rule \"" + name + "\""));
                }
                Matcher function = FUNCTION_DECLARATION.matcher(lines[i]);
                if (function.find()) {
                    String name = function.group(1);
                    byClassPrefix.put(Character.toUpperCase(name.charAt(0)) + name.substring(1),
                            new Origin(file, i + 1, "function " + name));
                }
            }
        });
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            if (pkg instanceof InternalKnowledgePackage internal
                    && internal.getDialectRuntimeRegistry().getDialectData("java") instanceof JavaDialectRuntimeData java) {
                classes.putAll(java.getStore());
            }
        }
        Set<String> own = new HashSet<>();
        classes.keySet().forEach(k -> own.add(k.endsWith(".class") ? k.substring(0, k.length() - 6) : k));
        for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
            String internalName = entry.getKey().replaceAll("\\.class$", "");
            String simple = internalName.substring(internalName.lastIndexOf('/') + 1);
            if (simple.endsWith("Invoker")) {
                continue; // Drools' own glue, generated from its templates: it calls the rule's methods and holds no rule code
            }
            Origin origin = originOf(simple, byClassPrefix, texts);
            boolean function = !simple.startsWith("Rule_");
            Set<String> seen = new HashSet<>();
            new ClassReader(entry.getValue()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new Checker(internalName, own, function, problem -> {
                        if (seen.add(problem)) {
                            errors.add(locate(origin, problem, texts));
                        }
                    });
                }
            }, ClassReader.SKIP_DEBUG);
        }
    }

    /** Drools' legal class name for a rule: letters and digits kept, space to _, anything else as $u<code>$. */
    static String legalName(String name) {
        StringBuilder legal = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (c == ' ') {
                legal.append('_');
            } else if (c != '$' && Character.isJavaIdentifierPart(c)) {
                legal.append(c);
            } else {
                legal.append("$u").append((int) c).append('$');
            }
        }
        return legal.toString();
    }

    private static Origin originOf(String simpleName, Map<String, Origin> byPrefix, Map<String, String[]> texts) {
        Origin best = null;
        int bestLength = -1;
        for (Map.Entry<String, Origin> e : byPrefix.entrySet()) {
            String prefix = e.getKey();
            boolean rule = prefix.startsWith("Rule_");
            boolean matches = rule ? simpleName.startsWith(prefix) && simpleName.substring(prefix.length()).matches("-?\\d+")
                    : simpleName.equals(prefix);
            if (matches && prefix.length() > bestLength) {
                best = e.getValue();
                bestLength = prefix.length();
            }
        }
        return best != null ? best : new Origin(texts.keySet().stream().findFirst().orElse(""), 0, "generated code");
    }

    /** The problem at the first line of its rule that names the member, else at the rule's declaration. */
    private static RuleError locate(Origin origin, String problem, Map<String, String[]> texts) {
        String member = problem.substring(problem.indexOf('\'') + 1, problem.indexOf('\'', problem.indexOf('\'') + 1));
        String word = member.replace("(...)", "").replaceAll(".*[./]", "").replace("<init>", "");
        String[] lines = texts.get(origin.file);
        if (lines != null && origin.line > 0 && !word.isEmpty()) {
            for (int i = origin.line; i < lines.length; i++) { // after the declaration, which names a function itself
                int column = lines[i].indexOf(word);
                if (column >= 0) {
                    return new RuleError(origin.file, i + 1, column + 1, origin.what + ": " + problem);
                }
                if (lines[i].strip().equals("end") || lines[i].startsWith("}")) {
                    break;
                }
            }
        }
        return new RuleError(origin.file, origin.line, 0, origin.what + ": " + problem);
    }

    /** Checks one generated method's instructions against the allow-list. */
    private static final class Checker extends MethodVisitor {
        private final Set<String> own;
        private final boolean function;
        private final java.util.function.Consumer<String> problems;
        private final Set<Label> seenLabels = new HashSet<>();

        Checker(String self, Set<String> own, boolean function, java.util.function.Consumer<String> problems) {
            super(Opcodes.ASM9);
            this.own = own;
            this.function = function;
            this.problems = problems;
        }

        @Override
        public void visitLabel(Label label) {
            seenLabels.add(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seenLabels.contains(label)) { // a jump back: a loop
                problems.accept("'a loop' is not allowed: a rule handles one case, and a loop could run for ever");
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (function && own.contains(owner)) { // itself included: recursion is a loop by other means
                problems.accept("'" + name + "(...)': a function may not call a function, as calls in a circle could run for ever");
            } else if (!methodAllowed(owner, name)) {
                problems.accept("'" + show(owner) + "." + name + "(...)' " + whyRefused(owner, name) + "; " + GUIDE);
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            boolean write = opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC;
            boolean allowed = own.contains(owner) || !write && (isFact(owner) || VALUES.containsKey(owner)
                    || owner.startsWith("java/time/"));
            if (!allowed) {
                problems.accept("'" + show(owner) + "." + name + "' " + whyRefused(owner, name) + "; " + GUIDE);
            }
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            String element = type.replaceAll("^\\[+L?|;$", "");
            if (!typeAllowed(element) && !element.equals("org/drools/core/rule/consequence/KnowledgeHelper")
                    && element.length() > 1) {
                problems.accept("'" + show(element) + "' " + whyRefused(element, "") + "; " + GUIDE);
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            if (value instanceof Type type && type.getSort() == Type.OBJECT && !isFact(type.getInternalName())
                    && !own.contains(type.getInternalName())) {
                problems.accept("'" + show(type.getInternalName()) + ".class' uses reflection; " + GUIDE);
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            if (!bootstrap.getOwner().equals("java/lang/invoke/StringConcatFactory")) {
                problems.accept("'a lambda or method reference' is not allowed in rules; " + GUIDE);
            }
        }

        private boolean methodAllowed(String owner, String name) {
            if (own.contains(owner) || isFact(owner)) {
                return !REFUSED_NAMES.containsKey(name);
            }
            if (owner.equals("org/drools/core/rule/consequence/KnowledgeHelper")) {
                return KNOWLEDGE_HELPER.contains(name);
            }
            if (owner.startsWith("org/drools/util/bitmask/") || owner.equals("org/drools/mvel/field/FieldFactory")) {
                return true; // modify's record of which properties changed; accumulate's constant values
            }
            if (owner.startsWith("java/time/")) {
                return !owner.equals("java/time/Clock") && !owner.equals("java/time/InstantSource")
                        && !TIME_REFUSED.contains(name);
            }
            Set<String> names = VALUES.get(owner);
            if (names == null && owner.startsWith("[")) {
                return name.equals("clone") || name.equals("length");
            }
            return names != null && names.contains(name) && !(REFUSED_NAMES.containsKey(name));
        }

        private boolean typeAllowed(String type) {
            return own.contains(type) || isFact(type) || VALUES.containsKey(type)
                    || type.startsWith("java/time/") && !type.equals("java/time/Clock");
        }

        private String whyRefused(String owner, String name) {
            String simple = owner.substring(owner.lastIndexOf('/') + 1);
            String why = REFUSED_NAMES.get(name);
            if (why == null) {
                why = REFUSED_NAMES.get(simple);
            }
            if (why == null && (owner.startsWith("java/io/") || owner.startsWith("java/nio/") || owner.startsWith("java/net/"))) {
                why = REFUSED_NAMES.get("File");
            }
            if (why == null && (owner.startsWith("java/lang/reflect/") || owner.startsWith("java/lang/invoke/"))) {
                why = REFUSED_NAMES.get("Class");
            }
            if (why == null && owner.startsWith("java/util/concurrent/")) {
                why = REFUSED_NAMES.get("Thread");
            }
            return why != null ? why : "is not among what rules may use";
        }

        private static String show(String internalName) {
            String name = internalName.startsWith("java/lang/") && internalName.indexOf('/', 10) < 0
                    ? internalName.substring(10) : internalName; // System, not java.lang.System
            return name.replace('/', '.').replace('$', '.');
        }
    }

    private static final Set<String> FACT_INTERNAL_NAMES = new HashSet<>();

    static {
        FACTS.forEach(f -> FACT_INTERNAL_NAMES.add(f.replace('.', '/')));
    }

    private static boolean isFact(String internalName) {
        return FACT_INTERNAL_NAMES.contains(internalName);
    }
}
