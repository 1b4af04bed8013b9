package org.convrouter.routing;

import java.util.ArrayList;
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
 *
 * <p>This class walks the files, rules and patterns; {@link RuleExpressionCheck} walks each
 * expression in them (constraints, bindings, sources, salience and actions).
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
            Contact.class, IncomingMessage.class, RoutingDecision.class, Candidate.class, Exclusion.class, Clock.class);
    /** Facts that differ from request to request; every field rules read of them is named in {@link Reads}. */
    static final List<Class<?>> PER_REQUEST = List.of(Contact.class, IncomingMessage.class, Candidate.class);
    /**
     * Fields that change with nearly every request: a rule set reading one could be remembered, but
     * would rarely be found again, so it simply runs every time.
     */
    private static final Set<String> VOLATILE = Set.of("Candidate.openChats", "Candidate.lastChatAssignedAt",
            "IncomingMessage.text", "IncomingMessage.subject", "Contact.id", "Contact.email", "Contact.name");
    /** Built-in accumulate functions, with the type of what they give. */
    private static final Map<String, Class<?>> ACCUMULATED = Map.of("count", Long.class, "sum", Number.class,
            "average", Number.class, "min", Object.class, "max", Object.class, "collectList", List.class,
            "collectSet", Set.class);
    /** Rule attributes that do not depend on time: ordering and grouping only. */
    private static final Set<String> ATTRIBUTES = Set.of("salience", "activation-group", "agenda-group",
            "ruleflow-group", "no-loop", "lock-on-active", "auto-focus", "dialect");
    private static final Pattern BINDING = Pattern.compile("^\\s*(\\$?[\\w$]+)\\s*:(?!=)\\s*(.*)$", Pattern.DOTALL);

    /** A type the rules could never see in a routing session (no such fact is inserted, and rules cannot create one). */
    static final class Absent {}

    /** Thrown inside the walk with the reason the rule set is not pure; never escapes {@link #check}. */
    static final class NotPure extends RuntimeException {
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
    static boolean plainValue(Class<?> type) {
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
    static final class FileCheck {
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
        private final RuleExpressionCheck expressions;
        /** Walking conditions: they must not change anything (no verbs), only read. */
        private boolean conditions;

        RuleWalk(FileCheck file) {
            this.file = file;
            this.expressions = new RuleExpressionCheck(file, variables);
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
            if (type == Clock.class) {
                throw new NotPure("it reads the Clock, which moves with every request");
            }
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

        /** One expression of this rule, with the variables bound so far; see {@link RuleExpressionCheck}. */
        private Class<?> expression(String code, Class<?> context, boolean aliasing) {
            return expressions.check(code, context, aliasing, conditions);
        }
    }

}
