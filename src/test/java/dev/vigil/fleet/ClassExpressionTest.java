package dev.vigil.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassExpressionTest {
    private static boolean matches(String expression, String... classes) {
        return ClassExpression.parse(expression).matches(Set.of(classes));
    }

    @Test
    void blogExample_anyWebOrDnsWeb() {
        assertThat(matches("any", "any", "db")).isTrue();
        assertThat(matches("web|dns", "any", "dns")).isTrue();
        assertThat(matches("web|dns", "any", "db")).isFalse();
        assertThat(matches("web", "any", "web")).isTrue();
    }

    @Test
    void andBindsTighterThanOr() {
        // a | (b & c)
        assertThat(matches("a|b&c", "a")).isTrue();
        assertThat(matches("a|b&c", "b")).isFalse();
        assertThat(matches("a|b&c", "b", "c")).isTrue();
        assertThat(ClassExpression.parse("a|b&c"))
                .isEqualTo(new ClassExpression.Or(
                        new ClassExpression.Name("a"),
                        new ClassExpression.And(new ClassExpression.Name("b"), new ClassExpression.Name("c"))));
    }

    @Test
    void dotIsAndAsInCfengine() {
        assertThat(ClassExpression.parse("web.linux")).isEqualTo(ClassExpression.parse("web&linux"));
        assertThat(matches("web.linux", "web")).isFalse();
        assertThat(matches("web.linux", "web", "linux")).isTrue();
    }

    @Test
    void notBindsTightest_andParenthesesGroup() {
        assertThat(matches("!a&b", "b")).isTrue();
        assertThat(matches("!a&b", "a", "b")).isFalse();
        assertThat(matches("!(a&b)", "a")).isTrue();
        assertThat(matches("!(a&b)", "a", "b")).isFalse();
        assertThat(matches("(a|b)&c", "a")).isFalse();
        assertThat(matches("(a|b)&c", "a", "c")).isTrue();
        assertThat(matches("!!a", "a")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "web | dns;web|dns",
                "web.linux;web&linux",
                "(a|b)&c;(a|b)&c",
                "((a));a",
                "a&(b&c);a&b&c",
                "!(a|b);!(a|b)",
                "! a;!a",
                "!(!a);!!a",
                "a|(b|c);a|b|c",
                "x_1-y&!z;x_1-y&!z"
            })
    void toString_isNormalised_andParsesBackToTheSameMeaning(String text, String normal) {
        ClassExpression e = ClassExpression.parse(text);
        assertThat(e.toString()).isEqualTo(normal);
        assertThat(ClassExpression.parse(normal).toString()).isEqualTo(normal);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "web&(dns;unexpected end at column 9 in 'web&(dns'; expected ')'",
                "web&dns);unexpected ')' at column 8 in 'web&dns)'",
                "web||dns;unexpected '|' at column 5 in 'web||dns'",
                "web&;unexpected end at column 5 in 'web&'",
                "Web;unexpected 'W' at column 1 in 'Web'; expected a class name; class names are lowercase",
                "web dns;unexpected 'd' at column 5 in 'web dns'",
                "();unexpected ')' at column 2 in '()'",
                "1web;unexpected '1' at column 1 in '1web'",
                "'   ';an empty class expression"
            })
    void errors_sayWhatAndWhichColumn(String text, String message) {
        assertThatThrownBy(() -> ClassExpression.parse(text))
                .isInstanceOf(ClassExpression.ParseException.class)
                .hasMessageContaining(message);
    }
}
