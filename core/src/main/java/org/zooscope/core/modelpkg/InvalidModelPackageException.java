package org.zooscope.core.modelpkg;

import java.util.List;

/** A model package that cannot be used, with every problem found (not just the first). */
public final class InvalidModelPackageException extends Exception {
    private final List<String> problems;

    public InvalidModelPackageException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
