package org.convrouter.routing;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convrouter.directory.Channel;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.routing.CodeTokens.Token;
import org.convrouter.rules.RuleFile;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.BindingDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.EntryPointDescr;
import org.drools.drl.ast.descr.EvalDescr;
import org.drools.drl.ast.descr.ExistsDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.ForallDescr;
import org.drools.drl.ast.descr.FromDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.OrDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;

/**
 * Decides whether what a rule set concludes for a routing request (exclusions, strategy,
 * assignment, emails, rules fired) is a function of a few named fields of the request's facts, and
 * names them. When it is, two requests that agree on those fields get the same conclusions, so the
 * engine may remember them ({@link RuleOutcomes}) instead of running the rules again: on a channel
 * that is every request until someone's availability or the directory changes.
 *
 * <p>The check is syntactic, conservative and closed: it reads the parsed DRL (decision tables
 * converted first) and resolves every name a rule uses against the imported classes by reflection.
 * It answers yes only when every name is one of: a variable the rule binds, a keyword, a fact
 * type, an enum constant, a field or method of a fact (for {@link Candidate}, {@link Contact} and
 * {@link IncomingMessage}, only their fields, and each one read is named), or a side-effect-free
 * method of strings, numbers and collections. So a rule that asks the clock, draws a random number,
 * uses a global, a function, a local variable or any other class answers no, as does any use of a
 * candidate, contact or message other than reading a field, comparing it with {@code ==} or
 * {@code !=} against another fact or null, or handing it to {@code assignTo}, {@code notifyByEmail},
 * {@code new Exclusion}, {@code modify}, {@code update} or {@code delete} (which keep it by
 * reference). Rules that need a fact type a routing request never holds (manual assignment's) can
 * never fire in a routing session and are skipped. Whatever the check does not understand answers
 * no, and the engine then runs the rules for every request, which is always right.
 */
final class PureRuleCheck {

    /**
     * The fields of the per-request facts that the rules may read; the other fields of those facts
     * cannot change what the rules conclude. Field names are record component names.
     */
    record Reads(Set<String> contact, Set<String> message, Set<String> candidate) {
        static final Reads NONE = new Reads(Set.of(), Set.of(), Set.of());
    }

    /** {@code remember}: outcomes may be remembered, keyed by {@code reads}; else {@code reason} says why not. */
    record Verdict(boolean remember, String reason, Reads reads) {}

    /** Facts a routing session holds: the engine inserts all but Exclusion, which rules create. */
    private static final List<Class<?>> SESSION_FACTS = List.of(Channel.class, Inbox.class, RoutingSettings.class,
            Contact.class, IncomingMessage.class, RoutingDecision.class, Candidate.class, Exclusion.class);
    /** Facts that differ from request to request; every field rules read of them is named in {@link Reads}. */
    private static final List<Class<?>> PER_REQUEST = List.of(Contact.class, IncomingMessage.class, Candidate.class);
    /** Methods of per-request facts that are not fields, with the fields they read. */
    private static final Map<String, Set<String>> DERIVED = Map.of(
            "Candidate.memberOf", Set.of("teams"), "Contact.hasOwner", Set.of("owner"));
    /**
     * Fields that change with nearly every request: a rule set reading one could be remembered, but
     * would rarely be found again, so it simply runs every time.
     */
    private static final Set<String> VOLATILE = Set.of("Candidate.openChats", "Candidate.lastChatAssignedAt",
            "IncomingMessage.text", "IncomingMessage.subject", "Contact.id", "Contact.email", "Contact.name");
    /** Side-effect-free methods of strings, numbers, enums, times and collections (never toString or hashCode). */
    private static final Set<String> VALUE_METHODS = Set.of("length", "isEmpty", "isBlank", "contains", "containsAll",
            "startsWith", "endsWith", "equals", "equalsIgnoreCase", "toLowerCase", "toUpperCase", "trim", "strip",
            "substring", "indexOf", "lastIndexOf", "charAt", "matches", "compareTo", "compareToIgnoreCase", "size",
            "intValue", "longValue", "doubleValue", "booleanValue", "name", "ordinal", "isBefore", "isAfter",
            "toEpochMilli", "getEpochSecond");
    private static final Set<String> KEYWORDS = Set.of("true", "false", "null", "in", "not", "matches", "contains",
            "excludes", "memberOf", "soundslike", "new", "insert", "insertLogical", "modify", "update", "delete",
            "retract", "if", "else", "return", "and", "or");
    /** Built-in accumulate functions, with the type of what they give. */
    private static final Map<String, Class<?>> ACCUMULATED = Map.of("count", Long.class, "sum", Number.class,
            "average", Number.class, "min", Object.class, "max", Object.class, "collectList", List.class,
            "collectSet", Set.class);
    /** Rule attributes that do not depend on time: ordering and grouping only. */
    private static final Set<String> ATTRIBUTES = Set.of("salience", "activation-group", "agenda-group",
            "ruleflow-group", "no-loop", "lock-on-active", "auto-focus", "dialect");
    /** Verbs that keep a fact by reference (the engine reads the current request's values when it applies them). */
    private static final Set<String> BY_REFERENCE_VERBS = Set.of("assignTo", "notifyByEmail");
    private static final Set<String> FACT_OPERATIONS = Set.of("modify", "update", "delete", "retract");
    private static final Set<String> REFUSED_SYMBOLS = Set.of("?", "#", "@", "->", "::", ":=");
    private static final Set<String> BOUNDARIES = Set.of("&&", "||", ",", "(", ")", ";");
    private static final Pattern BINDING = Pattern.compile("^\\s*(\\$?[\\w$]+)\\s*:(?!=)\\s*(.*)$", Pattern.DOTALL);

    /** A type the rules could never see in a routing session (no such fact is inserted, and rules cannot create one). */
    private static final class Absent {}

    /** Thrown inside the walk with the reason the rule set is not pure; never escapes {@link #check}. */
    private static final class NotPure extends RuntimeException {
        NotPure(String reason) {
            super(reason, null, false, false);
        }
    }

    private PureRuleCheck() {}

    /**
     * Values whose text and equality are a function of what they hold, and that hold nothing the
     * key leaves out: strings, numbers, booleans, characters, enums, times, type names, and the
     * channel, inbox and settings (which the key holds whole).
     */
    private static boolean plainValue(Class<?> type) {
        return type.isPrimitive() || type == String.class || Number.class.isAssignableFrom(type) || type == Boolean.class
                || type == Character.class || type.isEnum() || type == java.time.Instant.class || type == Class.class
                || type == Channel.class || type == Inbox.class || type == RoutingSettings.class
                || type == org.convrouter.directory.AssignTo.class;
    }

    static Verdict check(List<RuleFile> files) {
        Map<String, Set<String>> reads = new LinkedHashMap<>();
        PER_REQUEST.forEach(type -> reads.put(type.getSimpleName(), new TreeSet<>()));
        for (RuleFile file : files) {
            PackageDescr pkg;
            try {
                DrlParser parser = new DrlParser();
                pkg = parser.parse(false, ProfileRuleCheck.drlOf(file));
                if (parser.hasErrors()) {
                    return no(file.name() + " does not parse");
                }
            } catch (DroolsParserException | RuntimeException e) {
                return no(file.name() + " could not be read as DRL: " + e.getMessage());
            }
            try {
                new FileCheck(pkg, reads).check();
            } catch (NotPure e) {
                return no(file.name() + ": " + e.getMessage());
            }
        }
        for (Map.Entry<String, Set<String>> type : reads.entrySet()) {
            for (String field : type.getValue()) {
                if (VOLATILE.contains(type.getKey() + "." + field)) {
                    return new Verdict(false, "the rules read " + type.getKey() + "." + field
                            + ", which differs from request to request: an outcome would rarely be needed again", Reads.NONE);
                }
            }
        }
        Reads found = new Reads(Set.copyOf(reads.get("Contact")), Set.copyOf(reads.get("IncomingMessage")),
                Set.copyOf(reads.get("Candidate")));
        return new Verdict(true, "the rules conclude from " + describe(reads), found);
    }

    private static Verdict no(String reason) {
        return new Verdict(false, reason, Reads.NONE);
    }

    private static String describe(Map<String, Set<String>> reads) {
        List<String> parts = new ArrayList<>();
        reads.forEach((type, fields) -> parts.add(type + " " + (fields.isEmpty() ? "(nothing)" : String.join(", ", fields))));
        return "the channel, inbox and settings, and of each request's facts only: " + String.join("; ", parts);
    }

    /** One file: its imports resolve names; each rule is walked with its own variables. */
    private static final class FileCheck {
        private final PackageDescr pkg;
        private final Map<String, Set<String>> reads;

        FileCheck(PackageDescr pkg, Map<String, Set<String>> reads) {
            this.pkg = pkg;
            this.reads = reads;
        }

        void check() {
            if (!pkg.getGlobals().isEmpty()) {
                throw new NotPure("it declares a global, which may hold anything");
            }
            if (!pkg.getFunctions().isEmpty() || !pkg.getFunctionImports().isEmpty()) {
                throw new NotPure("it declares or imports a function, whose code is not analysed");
            }
            if (!pkg.getAccumulateImports().isEmpty()) {
                throw new NotPure("it imports an accumulate function, whose code is not analysed");
            }
            if (!pkg.getTypeDeclarations().isEmpty() || !pkg.getEnumDeclarations().isEmpty()
                    || !pkg.getWindowDeclarations().isEmpty()) {
                throw new NotPure("it declares types or windows, which are not analysed");
            }
            for (RuleDescr rule : pkg.getRules()) {
                try {
                    new RuleWalk(this).check(rule);
                } catch (NotPure e) {
                    throw new NotPure("rule \"" + rule.getName() + "\": " + e.getMessage());
                }
            }
        }

        void read(Class<?> type, String field) {
            reads.get(type.getSimpleName()).add(field);
        }

        /** The class a DRL type name stands for, through the file's imports; null when none. */
        Class<?> resolve(String name) {
            if (name.contains(".")) {
                return load(name);
            }
            for (ImportDescr imported : pkg.getImports()) {
                String target = imported.getTarget();
                Class<?> found = target.endsWith(".*") ? load(target.substring(0, target.length() - 1) + name)
                        : target.endsWith("." + name) ? load(target) : null;
                if (found != null) {
                    return found;
                }
            }
            return load("java.lang." + name);
        }

        /** Whether {@code name} starts a qualified class name (a package of an import, or java). */
        boolean packageStart(String name) {
            return name.equals("java") || pkg.getImports().stream().anyMatch(i -> i.getTarget().startsWith(name + "."));
        }

        private static Class<?> load(String name) {
            try {
                return Class.forName(name, false, PureRuleCheck.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
        }
    }

    /** One rule: the variables it binds with their types, and every expression it holds. */
    private static final class RuleWalk {
        private final FileCheck file;
        private final Map<String, Class<?>> variables = new HashMap<>();
        /** Walking conditions: they must not change anything (no verbs), only read. */
        private boolean conditions;

        RuleWalk(FileCheck file) {
            this.file = file;
        }

        void check(RuleDescr rule) {
            if (rule.hasParent()) {
                throw new NotPure("it extends another rule, whose patterns it inherits unseen");
            }
            if (rule.getNamedConsequences() != null && !rule.getNamedConsequences().isEmpty()) {
                throw new NotPure("named consequences are not analysed");
            }
            for (Map.Entry<String, AttributeDescr> attribute : rule.getAttributes().entrySet()) {
                if (!ATTRIBUTES.contains(attribute.getKey())) {
                    throw new NotPure("its attribute " + attribute.getKey() + " may depend on time");
                }
            }
            // Drools evaluates a pattern's constraints as facts are inserted, even in a rule that
            // cannot fire or a query no rule calls: every condition is checked.
            conditions = true;
            walk(rule.getLhs());
            conditions = false;
            if (rule.isQuery() || neverFires(rule.getLhs())) {
                return; // its action never runs
            }
            AttributeDescr salience = rule.getAttributes().get("salience");
            if (salience != null) {
                expression(salience.getValue(), null, false);
            }
            expression(String.valueOf(rule.getConsequence()), null, false);
        }

        /**
         * A rule that needs a fact no routing session holds cannot fire in one. (Rules can only
         * insert exclusions, so no other fact ever joins the session.)
         */
        private boolean neverFires(AndDescr lhs) {
            for (BaseDescr descr : lhs.getDescrs()) {
                BaseDescr needed = descr instanceof ExistsDescr exists && exists.getDescrs().size() == 1
                        ? (BaseDescr) exists.getDescrs().get(0) : descr;
                if (needed instanceof PatternDescr pattern && pattern.getSource() == null
                        && typeOf(pattern) == Absent.class) {
                    return true;
                }
            }
            return false;
        }

        private void walk(BaseDescr descr) {
            if (descr instanceof PatternDescr pattern) {
                pattern(pattern);
            } else if (descr instanceof AndDescr || descr instanceof OrDescr || descr instanceof NotDescr
                    || descr instanceof ExistsDescr || descr instanceof ForallDescr) {
                ((ConditionalElementDescr) descr).getDescrs().forEach(this::walk);
            } else if (descr instanceof EvalDescr eval) {
                expression(String.valueOf(eval.getContent()), null, false);
            } else {
                throw new NotPure("it uses " + descr.getClass().getSimpleName() + ", which is not analysed");
            }
        }

        private void pattern(PatternDescr pattern) {
            if (pattern.isQuery()) {
                throw new NotPure("it calls a query, which is not analysed");
            }
            if (!pattern.getBehaviors().isEmpty()) {
                throw new NotPure("it matches over a window, which depends on time");
            }
            source(pattern);
            Class<?> type = pattern.getSource() == null || pattern.getSource() instanceof EntryPointDescr
                    ? typeOf(pattern) : classOf(pattern);
            if (pattern.getIdentifier() != null) {
                bind(pattern.getIdentifier(), type);
            }
            if (type == Absent.class) {
                return; // never matched in a routing session: its constraints are never evaluated
            }
            for (BaseDescr constraint : pattern.getDescrs()) {
                if (constraint instanceof BindingDescr binding) {
                    bind(binding.getVariable(), expression(binding.getExpression(), type, true));
                } else if (constraint instanceof ExprConstraintDescr expr) {
                    if (expr.getType() == ExprConstraintDescr.Type.POSITIONAL && PER_REQUEST.contains(type)) {
                        throw new NotPure("a positional constraint on " + type.getSimpleName() + " may name any field");
                    }
                    Matcher binding = BINDING.matcher(expr.getExpression());
                    if (binding.matches()) {
                        bind(binding.group(1), expression(binding.group(2), type, true));
                    } else {
                        expression(expr.getExpression(), type, false);
                    }
                } else {
                    throw new NotPure("a constraint " + constraint.getClass().getSimpleName() + " is not analysed");
                }
            }
        }

        private void source(PatternDescr pattern) {
            Object source = pattern.getSource();
            if (source == null || source instanceof EntryPointDescr) {
                return;
            }
            if (source instanceof AccumulateDescr accumulate) {
                if (accumulate.getInitCode() != null || accumulate.getActionCode() != null
                        || accumulate.getReverseCode() != null || accumulate.getResultCode() != null) {
                    throw new NotPure("an accumulate with code of its own is not analysed");
                }
                walk(accumulate.getInput());
                for (AccumulateDescr.AccumulateFunctionCallDescr function : accumulate.getFunctions()) {
                    if (!ACCUMULATED.containsKey(function.getFunction())) {
                        throw new NotPure("the accumulate function " + function.getFunction() + " is not analysed");
                    }
                    for (String parameter : function.getParams()) {
                        expression(parameter, null, true);
                    }
                    if (function.getBind() != null) {
                        bind(function.getBind(), ACCUMULATED.getOrDefault(function.getFunction(), Object.class));
                    }
                }
            } else if (source instanceof CollectDescr collect) {
                walk(collect.getInputPattern());
            } else if (source instanceof FromDescr from) {
                Class<?> iterated = expression(from.getExpression(), null, true);
                // A set's order is not part of its equality: matches drawn from it could fire in
                // an order the key does not fix. Lists are compared in order; single values are one match.
                if (iterated == Object.class || Iterable.class.isAssignableFrom(iterated) && !List.class.isAssignableFrom(iterated)
                        || iterated.isArray() || java.util.Map.class.isAssignableFrom(iterated)) {
                    throw new NotPure("it matches from " + from.getExpression().trim()
                            + ", whose order is not fixed by what it holds");
                }
            } else {
                throw new NotPure("a pattern source " + source.getClass().getSimpleName() + " is not analysed");
            }
        }

        /**
         * The type a pattern matches in a routing session: a session fact's class, {@link Absent}
         * for a class no session holds, refused for a class session facts are instances of.
         */
        private Class<?> typeOf(PatternDescr pattern) {
            Class<?> type = classOf(pattern);
            if (SESSION_FACTS.contains(type)) {
                return type;
            }
            for (Class<?> fact : SESSION_FACTS) {
                if (type.isAssignableFrom(fact)) {
                    throw new NotPure("a pattern on " + type.getSimpleName() + " matches facts of every kind");
                }
            }
            return Absent.class;
        }

        private Class<?> classOf(PatternDescr pattern) {
            Class<?> type = file.resolve(pattern.getObjectType());
            if (type == null) {
                throw new NotPure("it names the type " + pattern.getObjectType() + ", which is not found");
            }
            return type;
        }

        private void bind(String variable, Class<?> type) {
            if (!variable.startsWith("$")) {
                throw new NotPure("it binds '" + variable + "' without a leading $, which is not analysed");
            }
            Class<?> before = variables.putIfAbsent(variable, type);
            if (before != null && before != type) {
                throw new NotPure("it binds " + variable + " to two types");
            }
        }

        /**
         * One chain of names and calls ({@code $c.teams().size()}) from its first token to its
         * last, with the type of its value.
         */
        private record Chain(int start, int end, Class<?> type) {
            /**
             * Whether the value may carry what the key does not hold (a candidate, contact or
             * message; an exclusion or list holding one; the decision, whose text names its identity;
             * a set, whose order is not in its equality; anything untyped), so it must not be
             * turned into text or compared with a plain value.
             */
            boolean guarded() {
                return !plainValue(type);
            }
        }

        /** A call's opening parenthesis: the class whose method is called (null for a keyword) and the name. */
        private record Call(Class<?> owner, String name) {}

        /** A chain interrupted by a call's arguments: it resumes after the closing parenthesis. */
        private record Pending(int start, Class<?> type) {}

        /** The state of one expression's walk. */
        private final class Walk {
            final List<Token> tokens;
            final Class<?> context;
            final int[] match;
            final List<Chain> chains = new ArrayList<>();
            final Map<Integer, Call> calls = new HashMap<>();
            final Map<Integer, Pending> pending = new HashMap<>();

            Walk(List<Token> tokens, Class<?> context) {
                this.tokens = tokens;
                this.context = context;
                this.match = parentheses(tokens);
            }
        }

        /**
         * Checks one expression; {@code context} is the pattern's type (whose fields may be named
         * bare), or null. {@code aliasing}: the whole expression may be a fact of its own (a
         * binding, a source, an accumulate argument). Returns the type the expression has when it
         * is one chain, else Object.
         */
        private Class<?> expression(String code, Class<?> context, boolean aliasing) {
            if (code != null && code.contains("\\u")) {
                // Java turns unicode escapes into characters before it reads the code: one could close a string or a comment
                throw new NotPure("it uses a unicode escape, which could hide code");
            }
            Walk walk = new Walk(CodeTokens.of(code), context);
            List<Token> tokens = walk.tokens;
            for (int i = 0; i < tokens.size(); i++) {
                Token token = tokens.get(i);
                if (token.kind() == CodeTokens.Kind.SYMBOL && REFUSED_SYMBOLS.contains(token.text())) {
                    throw new NotPure("'" + token.text() + "' is not analysed");
                }
                Pending resumed = walk.pending.remove(i);
                if (resumed != null) { // the closing parenthesis of a call inside a chain
                    i = members(walk, resumed.start(), i, resumed.type());
                } else if (token.is(".")) {
                    throw new NotPure("it uses a member of an expression that is not analysed");
                } else if (token.identifier()) {
                    i = chain(walk, i);
                }
            }
            for (Chain chain : walk.chains) {
                if (chain.guarded() && !(aliasing && chain.start() == 0 && chain.end() == tokens.size() - 1)) {
                    guardedUse(walk, chain);
                }
            }
            // a binding ($x : this != null) binds the value of its leading chain, as Drools does
            return walk.chains.stream().filter(c -> c.start() == 0).map(Chain::type).findFirst().orElse(Object.class);
        }

        /** Index of each parenthesis's partner (-1 for other tokens); refuses unbalanced code. */
        private static int[] parentheses(List<Token> tokens) {
            int[] match = new int[tokens.size()];
            Arrays.fill(match, -1);
            java.util.ArrayDeque<Integer> open = new java.util.ArrayDeque<>();
            for (int i = 0; i < tokens.size(); i++) {
                if (tokens.get(i).is("(")) {
                    open.push(i);
                } else if (tokens.get(i).is(")")) {
                    if (open.isEmpty()) {
                        throw new NotPure("its parentheses do not match");
                    }
                    int from = open.pop();
                    match[from] = i;
                    match[i] = from;
                }
            }
            if (!open.isEmpty()) {
                throw new NotPure("its parentheses do not match");
            }
            return match;
        }

        /** A chain from its first name on; returns the index of the last token the walk may skip to. */
        private int chain(Walk walk, int start) {
            List<Token> tokens = walk.tokens;
            String name = tokens.get(start).text();
            int i = start;
            Class<?> type;
            if (name.startsWith("$")) {
                type = variables.get(name);
                if (type == null) {
                    throw new NotPure("it uses " + name + ", which it does not bind");
                }
                if (type == Absent.class) {
                    throw new NotPure("it uses " + name + ", a fact no routing session holds");
                }
            } else if (walk.context != null && name.equals("this")) {
                type = walk.context;
            } else if (walk.context != null && (name.equals("memberOf")
                    ? walk.context == Candidate.class && next(tokens, i).is("(") : hasMember(walk.context, name))) {
                type = member(walk.context, name);
                return call(walk, start, i, walk.context, name, type);
            } else if (name.equals("new")) {
                Token created = next(tokens, i);
                Class<?> made = created.identifier() ? file.resolve(created.text()) : null;
                if (made != Exclusion.class || !next(tokens, i + 1).is("(")) {
                    throw new NotPure("it creates an object other than an Exclusion (" + created.text() + ")");
                }
                walk.calls.put(i + 2, new Call(Exclusion.class, "new"));
                walk.pending.put(walk.match[i + 2], new Pending(start, Exclusion.class));
                return i + 2;
            } else if (KEYWORDS.contains(name)) {
                if ((name.equals("insert") || name.equals("insertLogical")) && !(next(tokens, i).is("(")
                        && next(tokens, i + 1).text().equals("new") && file.resolve(next(tokens, i + 2).text()) == Exclusion.class)) {
                    throw new NotPure("it inserts something other than a new Exclusion");
                }
                if (next(tokens, i).is("(")) {
                    walk.calls.put(i + 1, new Call(null, name));
                }
                return i;
            } else if (file.packageStart(name) || Character.isUpperCase(name.charAt(0)) && file.resolve(name) != null) {
                StringBuilder qualified = new StringBuilder(name);
                Class<?> resolved = file.resolve(name);
                while (resolved == null && next(tokens, i).is(".") && next(tokens, i + 1).identifier()) {
                    i += 2;
                    qualified.append('.').append(tokens.get(i).text());
                    resolved = file.resolve(qualified.toString());
                }
                if (resolved == null) {
                    throw new NotPure("it uses " + qualified + ", which is not found");
                }
                if (!next(tokens, i).is(".")) {
                    return i; // a type name on its own: a cast or a pattern's type
                }
                String constant = next(tokens, i + 1).text();
                if (!isEnumConstant(resolved, constant)) {
                    throw new NotPure("it uses " + resolved.getSimpleName() + "." + constant
                            + ", and of a class only enum constants may be used");
                }
                type = resolved;
                i += 2;
            } else {
                throw new NotPure("it uses '" + name + "', which is not a fact, a field, a bound variable or a keyword");
            }
            return members(walk, start, i, type);
        }

        /** Follows {@code .member} after index {@code at}; a call's arguments are walked before the chain resumes. */
        private int members(Walk walk, int start, int at, Class<?> type) {
            List<Token> tokens = walk.tokens;
            int i = at;
            while (next(tokens, i).is(".")) {
                Token name = next(tokens, i + 1);
                if (!name.identifier()) {
                    throw new NotPure("it uses a member of an expression that is not analysed");
                }
                Class<?> owner = type;
                type = member(owner, name.text());
                i += 2;
                if (next(tokens, i).is("(")) {
                    return call(walk, start, i, owner, name.text(), type);
                }
            }
            walk.chains.add(new Chain(start, i, type));
            return i;
        }

        /** A member followed by its arguments: they are walked next, then the chain resumes after them. */
        private int call(Walk walk, int start, int nameIndex, Class<?> owner, String name, Class<?> type) {
            if (!next(walk.tokens, nameIndex).is("(")) {
                return members(walk, start, nameIndex, type);
            }
            int open = nameIndex + 1;
            walk.calls.put(open, new Call(owner, name));
            walk.pending.put(walk.match[open], new Pending(start, type));
            return open;
        }

        /**
         * A guarded value (see {@link Chain#guarded}) used whole is allowed only where it is kept by
         * reference, compared with another guarded value or null, or tested for membership.
         */
        private void guardedUse(Walk walk, Chain chain) {
            List<Token> tokens = walk.tokens;
            Token before = tokenAt(tokens, chain.start() - 1);
            Token after = tokenAt(tokens, chain.end() + 1);
            boolean boundaryBefore = boundary(before);
            boolean boundaryAfter = boundary(after);
            if (boundaryAfter && before != null && comparedWith(walk, chain, chain.start() - 1, -1)
                    || boundaryBefore && after != null && comparedWith(walk, chain, chain.end() + 1, +1)) {
                return;
            }
            Call call = before != null && before.is("(") ? walk.calls.get(chain.start() - 1) : null;
            if (call != null && after != null) {
                // the chain follows the parenthesis directly: it is the first argument
                if (call.owner() == RoutingDecision.class && BY_REFERENCE_VERBS.contains(call.name())
                        && chain.type() == Candidate.class && (after.is(",") || after.is(")"))) {
                    return;
                }
                if (call.owner() == null && FACT_OPERATIONS.contains(call.name()) && after.is(")")) {
                    return;
                }
                if (call.owner() == null && (call.name().equals("insert") || call.name().equals("insertLogical"))
                        && after.is(")")) {
                    return; // its argument was checked to be a new Exclusion
                }
                if (call.owner() == Exclusion.class && call.name().equals("new") && chain.type() == Candidate.class
                        && after.is(",")) {
                    return;
                }
                if (call.owner() != null && java.util.Collection.class.isAssignableFrom(call.owner())
                        && (call.name().equals("contains") || call.name().equals("indexOf")) && after.is(")")) {
                    return;
                }
            }
            throw new NotPure("it hands " + tokens.get(chain.start()).text() + " (" + chain.type().getSimpleName()
                    + ") to an expression that may read more of it than the outcome is remembered by");
        }

        /**
         * Whether the operator at {@code operator} (looking in {@code direction} from the chain)
         * compares the chain with an operand that cannot make Drools turn it into text: with
         * == or != another guarded value or null; with contains, excludes or memberOf, where the
         * collection side is a collection, anything standing alone.
         */
        private boolean comparedWith(Walk walk, Chain chain, int operator, int direction) {
            List<Token> tokens = walk.tokens;
            Token op = tokenAt(tokens, operator);
            int partnerAt = operator + direction;
            if (op != null && op.identifier() && op.text().equals("not") && direction > 0) {
                op = tokenAt(tokens, ++operator);
                partnerAt = operator + 1;
            }
            if (op == null) {
                return false;
            }
            Token beforeOp = tokenAt(tokens, operator - 1);
            if (direction < 0 && beforeOp != null && beforeOp.identifier() && beforeOp.text().equals("not")) {
                partnerAt = operator - 2;
            }
            Operand partner = operand(walk, partnerAt, direction > 0);
            if (partner == null) {
                return false;
            }
            if (op.is("==") || op.is("!=")) {
                return partner.isNull() || partner.chain() != null && partner.chain().guarded();
            }
            if (!op.identifier()) {
                return false;
            }
            boolean chainIsCollection = java.util.Collection.class.isAssignableFrom(chain.type());
            boolean chainOnLeft = direction > 0;
            boolean partnerIsCollection = partner.chain() != null
                    && java.util.Collection.class.isAssignableFrom(partner.chain().type());
            return switch (op.text()) {
                // left contains right: the left side is the collection
                case "contains", "excludes" -> chainOnLeft ? chainIsCollection : partnerIsCollection;
                // left memberOf right: the right side is the collection
                case "memberOf" -> chainOnLeft ? partnerIsCollection : chainIsCollection;
                default -> false;
            };
        }

        /** An operand standing alone (between boundaries): a chain, a literal or null. */
        private record Operand(Chain chain, boolean isNull) {}

        private static Operand operand(Walk walk, int index, boolean starting) {
            Token token = tokenAt(walk.tokens, index);
            if (token == null) {
                return null;
            }
            if (token.kind() == CodeTokens.Kind.STRING || token.kind() == CodeTokens.Kind.NUMBER
                    || token.identifier() && (token.text().equals("null") || token.text().equals("true")
                    || token.text().equals("false"))) {
                Token beyond = tokenAt(walk.tokens, starting ? index + 1 : index - 1);
                return boundary(beyond) ? new Operand(null, token.text().equals("null")) : null;
            }
            for (Chain other : walk.chains) {
                if ((starting ? other.start() : other.end()) == index) {
                    Token beyond = tokenAt(walk.tokens, starting ? other.end() + 1 : other.start() - 1);
                    return boundary(beyond) ? new Operand(other, false) : null;
                }
            }
            return null;
        }

        private static boolean boundary(Token token) {
            return token == null || BOUNDARIES.stream().anyMatch(token::is);
        }

        private static Token next(List<Token> tokens, int i) {
            Token token = tokenAt(tokens, i + 1);
            return token == null ? new Token(CodeTokens.Kind.SYMBOL, "") : token;
        }

        private static Token tokenAt(List<Token> tokens, int i) {
            return i >= 0 && i < tokens.size() ? tokens.get(i) : null;
        }

        /** The type {@code type.name} has; records each field of a per-request fact read; refuses anything else. */
        private Class<?> member(Class<?> type, String name) {
            if (PER_REQUEST.contains(type)) {
                RecordComponent component = Arrays.stream(type.getRecordComponents())
                        .filter(c -> c.getName().equals(name)).findFirst().orElse(null);
                if (component != null) {
                    file.read(type, name);
                    return component.getType();
                }
                Set<String> derived = DERIVED.get(type.getSimpleName() + "." + name);
                if (derived == null) {
                    throw new NotPure("it calls " + type.getSimpleName() + "." + name
                            + ", which is not one of its fields");
                }
                derived.forEach(field -> file.read(type, field));
                return returnType(type, name);
            }
            if (type == Absent.class) {
                throw new NotPure("it reads a fact no routing session holds");
            }
            boolean ours = type.getName().startsWith("org.convrouter.");
            Class<?> returned = returnType(type, name);
            if (returned == null || !ours && !VALUE_METHODS.contains(name)) {
                throw new NotPure("it uses " + type.getSimpleName() + "." + name + ", which is not analysed");
            }
            if (conditions && returned == void.class) {
                throw new NotPure("a condition calls " + type.getSimpleName() + "." + name + ", which changes the outcome");
            }
            return returned;
        }

        private static boolean hasMember(Class<?> type, String name) {
            if (type == Absent.class || type == Object.class) {
                return false;
            }
            return returnType(type, name) != null;
        }

        /** The return type of the public instance method {@code name} (any arity), or null. */
        private static Class<?> returnType(Class<?> type, String name) {
            if (name.equals("toString") || name.equals("hashCode") || name.equals("getClass") || name.equals("wait")
                    || name.equals("notify") || name.equals("notifyAll")) {
                return null;
            }
            for (Method method : type.getMethods()) {
                if (method.getName().equals(name) && !Modifier.isStatic(method.getModifiers())) {
                    return method.getReturnType();
                }
            }
            return null;
        }

        private static boolean isEnumConstant(Class<?> type, String name) {
            return type.isEnum() && Arrays.stream(type.getEnumConstants()).anyMatch(c -> ((Enum<?>) c).name().equals(name));
        }
    }

}
