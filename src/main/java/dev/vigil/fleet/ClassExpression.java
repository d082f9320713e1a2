package dev.vigil.fleet;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CFEngine-like class expression: which hosts something applies to. Class names ({@code [a-z][a-z0-9_-]*}),
 * {@code |} (or), {@code &} and {@code .} (and, as in CFEngine), {@code !} (not) and parentheses; {@code !} binds
 * tightest, then {@code &} and {@code .}, then {@code |}. {@link #toString()} is the normalised form: {@code &} for
 * and, no blanks, and only the parentheses precedence needs.
 */
public sealed interface ClassExpression {
    /** The grammar of a class name. */
    Pattern CLASS_NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    String CLASS_RULE = "a class name: a lowercase letter, then lowercase letters, digits, '_' or '-'";

    /** Whether a host in {@code classes} is selected. */
    boolean matches(Set<String> classes);

    /** Parses {@code text}; throws {@link ParseException} with the column of the first mistake. */
    static ClassExpression parse(String text) {
        return new Parser(text).parse();
    }

    /** Whether {@code name} follows the grammar of class names. */
    static boolean isClassName(String name) {
        return CLASS_NAME.matcher(name).matches();
    }

    record Name(String name) implements ClassExpression {
        public Name {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public boolean matches(Set<String> classes) {
            return classes.contains(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record Not(ClassExpression operand) implements ClassExpression {
        @Override
        public boolean matches(Set<String> classes) {
            return !operand.matches(classes);
        }

        @Override
        public String toString() {
            return "!" + (operand instanceof Name || operand instanceof Not ? operand : "(" + operand + ")");
        }
    }

    record And(ClassExpression left, ClassExpression right) implements ClassExpression {
        @Override
        public boolean matches(Set<String> classes) {
            return left.matches(classes) && right.matches(classes);
        }

        @Override
        public String toString() {
            return side(left) + "&" + side(right);
        }

        private static String side(ClassExpression e) {
            return e instanceof Or ? "(" + e + ")" : e.toString();
        }
    }

    record Or(ClassExpression left, ClassExpression right) implements ClassExpression {
        @Override
        public boolean matches(Set<String> classes) {
            return left.matches(classes) || right.matches(classes);
        }

        @Override
        public String toString() {
            return left + "|" + right;
        }
    }

    /** A class expression that does not parse; the message says where and why. */
    final class ParseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ParseException(String message) {
            super(message);
        }
    }

    /** Recursive descent: or := and ('|' and)*; and := not (('&' | '.') not)*; not := '!' not | atom. */
    final class Parser {
        private final String text;
        private int pos;

        private Parser(String text) {
            this.text = text;
        }

        private ClassExpression parse() {
            skip();
            if (pos == text.length()) {
                throw new ParseException("an empty class expression; write one such as 'web|dns' or 'any'");
            }
            ClassExpression e = or();
            if (pos < text.length()) {
                throw error("unexpected '" + text.charAt(pos) + "'", "'|', '&', '.' or the end");
            }
            return e;
        }

        private ClassExpression or() {
            ClassExpression e = and();
            while (peek('|')) {
                pos++;
                e = new Or(e, and());
            }
            return e;
        }

        private ClassExpression and() {
            ClassExpression e = not();
            while (peek('&') || peek('.')) {
                pos++;
                e = new And(e, not());
            }
            return e;
        }

        private ClassExpression not() {
            if (peek('!')) {
                pos++;
                return new Not(not());
            }
            return atom();
        }

        private ClassExpression atom() {
            skip();
            if (pos == text.length()) {
                throw error("unexpected end", "a class name, '!' or '('");
            }
            char c = text.charAt(pos);
            if (c == '(') {
                pos++;
                ClassExpression e = or();
                if (!peek(')')) {
                    throw error(
                            pos == text.length() ? "unexpected end" : "unexpected '" + text.charAt(pos) + "'",
                            "')' to close the '(' before it");
                }
                pos++;
                return e;
            }
            if (c >= 'a' && c <= 'z') {
                int start = pos;
                while (pos < text.length() && isNameChar(text.charAt(pos))) {
                    pos++;
                }
                return new Name(text.substring(start, pos));
            }
            if (c >= 'A' && c <= 'Z') {
                throw error("unexpected '" + c + "'", "a class name; class names are lowercase");
            }
            throw error("unexpected '" + c + "'", "a class name, '!' or '('");
        }

        private static boolean isNameChar(char c) {
            return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-';
        }

        /** Whether the next character after blanks is {@code c} (the blanks are skipped). */
        private boolean peek(char c) {
            skip();
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void skip() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private ParseException error(String what, String expected) {
            return new ParseException(what + " at column " + (pos + 1) + " in '" + text + "'; expected " + expected);
        }
    }
}
