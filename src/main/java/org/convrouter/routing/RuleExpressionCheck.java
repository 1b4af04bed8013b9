package org.convrouter.routing;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convrouter.routing.CodeTokens.Token;
import org.convrouter.routing.PureRuleCheck.Absent;
import org.convrouter.routing.PureRuleCheck.FileCheck;
import org.convrouter.routing.PureRuleCheck.NotPure;

/**
 * The expression half of {@link PureRuleCheck}: walks one expression of a rule (a constraint, a
 * binding, a source, a salience or the action) token by token, resolves every name in it against
 * the rule's variables and the file's imports, records each field of a per-request fact it reads,
 * and throws {@link NotPure} for anything else. A value that may carry more than a remembered
 * outcome is keyed by may only be kept by reference, compared with another such value or null, or
 * tested for membership.
 */
final class RuleExpressionCheck {

    /** Methods of per-request facts that are not fields, with the fields they read. */
    private static final Map<String, Set<String>> DERIVED = Map.of(
            "Candidate.memberOf", Set.of("teams"), "Contact.hasOwner", Set.of("owner"));
    /** Side-effect-free methods of strings, numbers, enums, times and collections (never toString or hashCode). */
    private static final Set<String> VALUE_METHODS = Set.of("length", "isEmpty", "isBlank", "contains", "containsAll",
            "startsWith", "endsWith", "equals", "equalsIgnoreCase", "toLowerCase", "toUpperCase", "trim", "strip",
            "substring", "indexOf", "lastIndexOf", "charAt", "matches", "compareTo", "compareToIgnoreCase", "size",
            "intValue", "longValue", "doubleValue", "booleanValue", "name", "ordinal", "isBefore", "isAfter",
            "toEpochMilli", "getEpochSecond");
    private static final Set<String> KEYWORDS = Set.of("true", "false", "null", "in", "not", "matches", "contains",
            "excludes", "memberOf", "soundslike", "new", "insert", "insertLogical", "modify", "update", "delete",
            "retract", "if", "else", "return", "and", "or");
    /** Verbs that keep a fact by reference (the engine reads the current request's values when it applies them). */
    private static final Set<String> BY_REFERENCE_VERBS = Set.of("assignTo", "notifyByEmail");
    private static final Set<String> FACT_OPERATIONS = Set.of("modify", "update", "delete", "retract");
    private static final Set<String> REFUSED_SYMBOLS = Set.of("?", "#", "@", "->", "::", ":=");
    private static final Set<String> BOUNDARIES = Set.of("&&", "||", ",", "(", ")", ";");

    private final FileCheck file;
    /** The rule's variables, bound by the walk of its patterns as it goes. */
    private final Map<String, Class<?>> variables;
    /** Walking a condition: it must not change anything (no verbs), only read. */
    private boolean condition;

    RuleExpressionCheck(FileCheck file, Map<String, Class<?>> variables) {
        this.file = file;
        this.variables = variables;
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
            return !PureRuleCheck.plainValue(type);
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
     * is one chain, else Object. {@code condition}: the expression is one of the rule's conditions.
     */
    Class<?> check(String code, Class<?> context, boolean aliasing, boolean condition) {
        this.condition = condition;
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
        if (PureRuleCheck.PER_REQUEST.contains(type)) {
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
        if (condition && returned == void.class) {
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
