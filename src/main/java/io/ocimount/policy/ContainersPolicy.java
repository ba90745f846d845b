package io.ocimount.policy;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.ref.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A containers-policy.json (containers-policy.json(5)) as ocimount enforces it: the global {@code default} and the
 * scopes of {@code transports.docker}, read strictly and with every key loaded, so anything ocimount could not
 * enforce stops the daemon at start with the file and the field named.
 */
public final class ContainersPolicy {
    /** Far larger than any hand-written policy; a bigger file is refused before it is parsed. */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    /** The scope {@link #requirementsFor} names when only the global default applies. */
    public static final String DEFAULT = "default";
    private final List<Requirement> defaults;
    private final Map<String, List<Requirement>> docker;

    ContainersPolicy(List<Requirement> defaults, Map<String, List<Requirement>> docker) {
        this.defaults = List.copyOf(defaults);
        this.docker = Map.copyOf(docker);
    }

    /**
     * The requirements that apply to an image, all of which must pass.
     *
     * @param scope the {@code transports.docker} key that matched ("" for that transport's own default), or
     *              {@value #DEFAULT} for the global default
     */
    public record Scoped(String scope, List<Requirement> requirements) {
        public Scoped {
            requirements = List.copyOf(requirements);
        }
    }

    /** The policy when none is configured: every image is accepted, as before policies existed. */
    public static ContainersPolicy acceptAnything() {
        return new ContainersPolicy(List.of(new Requirement.AcceptAnything()), Map.of());
    }

    /** Reads and checks {@code file}, and every key file it names. */
    public static ContainersPolicy load(Path file) {
        byte[] json;
        try (InputStream in = Files.newInputStream(file)) {
            json = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw OciMountException.invalid("policy " + file + ": does not exist");
        } catch (AccessDeniedException e) {
            throw OciMountException.invalid("policy " + file + ": cannot be read (permission denied)");
        } catch (IOException e) {
            throw OciMountException.invalid("policy " + file + ": cannot be read: "
                    + Quote.visible(String.valueOf(e.getMessage())));
        }
        if (json.length > MAX_BYTES) {
            throw OciMountException.invalid("policy " + file + ": larger than " + MAX_BYTES + " bytes");
        }
        return parse(json, file.toString());
    }

    /** Checks {@code json}, named {@code file} in messages; key files it names are read now. */
    public static ContainersPolicy parse(byte[] json, String file) {
        return new PolicyReader(file).read(json);
    }

    /**
     * The requirements for pulling {@code ref}: those of the most specific {@code transports.docker} scope that
     * matches ({@link Scopes#candidates}), else of the transport's "" scope, else the global default. Only that
     * one scope applies; more general ones are ignored, as in containers/image.
     */
    public Scoped requirementsFor(Reference ref) {
        for (String scope : Scopes.candidates(ref)) {
            List<Requirement> found = docker.get(scope);
            if (found != null) {
                return new Scoped(scope, found);
            }
        }
        List<Requirement> transportDefault = docker.get("");
        return transportDefault != null ? new Scoped("", transportDefault) : new Scoped(DEFAULT, defaults);
    }
}
