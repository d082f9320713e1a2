package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in src/test/resources/bad-configs (not its inc/ helpers) must be rejected with exactly the errors its
 * header announces: {@code # expect: KEY LINE [in FILE]} per error, and {@code # contains: TEXT} for words one of
 * the messages must contain.
 */
class BadConfigsTest {
    private static final Path DIR = Path.of("src/test/resources/bad-configs");
    private static final Pattern EXPECT = Pattern.compile("# expect: (.+) (\\d+)(?: in (\\S+))?");

    record Expected(Path file, String key, int line) {}

    static Stream<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(DIR)) {
            return list.filter(Files::isRegularFile).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void badConfig_isRejected_withFileLineAndKey(Path file) throws IOException {
        List<String> header = Files.readAllLines(file).stream()
                .takeWhile(l -> l.startsWith("#"))
                .toList();
        List<Expected> expected = header.stream()
                .map(EXPECT::matcher)
                .filter(Matcher::matches)
                .map(m -> new Expected(
                        (m.group(3) == null ? file : DIR.resolve(m.group(3)))
                                .toAbsolutePath()
                                .normalize(),
                        m.group(1),
                        Integer.parseInt(m.group(2))))
                .toList();
        assertThat(expected).as("the file's '# expect:' lines").isNotEmpty();

        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> ConfigLoader.load(file, Map.of(), false, Path.of("/home/me")));

        assertThat(e).as("a ConfigException for " + file).isNotNull();
        assertThat(e.errors())
                .extracting(err -> new Expected(err.file().toAbsolutePath().normalize(), err.key(), err.line()))
                .as("errors (file, key, line) of " + e.errors())
                .containsExactlyInAnyOrderElementsOf(expected);
        header.stream()
                .filter(l -> l.startsWith("# contains: "))
                .map(l -> l.substring("# contains: ".length()))
                .forEach(text -> assertThat(e.errors())
                        .extracting(ConfigError::toString)
                        .anySatisfy(message -> assertThat(message).contains(text)));
    }
}
