package dev.vigil.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into argv the way POSIX sh splits words: blanks separate words, single quotes keep
 * everything, double quotes keep everything but {@code \"}, {@code \\}, {@code \$} and {@code \`}, and a backslash
 * outside quotes keeps the next character. Nothing is expanded: no variables, globs or tilde.
 */
final class ShellWords {
    private ShellWords() {}

    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case ' ', '\t', '\n' -> {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                }
                case '\'' -> {
                    int end = text.indexOf('\'', i + 1);
                    if (end < 0) {
                        throw new BadValue(
                                "a command with matching quotes: the ' at character " + (i + 1) + " is never closed");
                    }
                    word.append(text, i + 1, end);
                    i = end;
                    inWord = true;
                }
                case '"' -> {
                    i = doubleQuoted(text, i, word);
                    inWord = true;
                }
                case '\\' -> {
                    if (i + 1 < text.length()) {
                        char next = text.charAt(++i);
                        if (next != '\n') {
                            word.append(next);
                        }
                    }
                    inWord = true;
                }
                default -> {
                    word.append(c);
                    inWord = true;
                }
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the double-quoted string opened at {@code open}; returns the index of its closing quote. */
    private static int doubleQuoted(String text, int open, StringBuilder word) {
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < text.length() && "\"\\$`\n".indexOf(text.charAt(i + 1)) >= 0) {
                char next = text.charAt(++i);
                if (next != '\n') {
                    word.append(next);
                }
            } else {
                word.append(c);
            }
        }
        throw new BadValue("a command with matching quotes: the \" at character " + (open + 1) + " is never closed");
    }
}
