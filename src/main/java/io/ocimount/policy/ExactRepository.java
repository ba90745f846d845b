package io.ocimount.policy;

import io.ocimount.policy.signature.SignedIdentity;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.ref.Reference;

/**
 * {@code exactRepository}: the signature must name {@code dockerRepository}, whatever was pulled; for images
 * signed in one repository and pulled from a mirror or a copy.
 *
 * @param dockerRepository the repository, normalised as references are ({@code busybox} is
 *                         {@code docker.io/library/busybox}); a tag or digest is refused, since signatures are
 *                         matched by repository only
 */
public record ExactRepository(String dockerRepository) implements SignedIdentity {

    public ExactRepository {
        Reference parsed = Reference.parse(dockerRepository);
        if (parsed.digest() != null || dockerRepository.lastIndexOf(':') > dockerRepository.lastIndexOf('/')) {
            throw OciMountException.invalid(Quote.of(dockerRepository)
                    + " must be a repository, without a tag or digest");
        }
        dockerRepository = parsed.name();
    }

    @Override
    public boolean accepts(Reference pulled, Reference signed) {
        return dockerRepository.equals(signed.name());
    }

    @Override
    public String describe() {
        return "exactRepository " + dockerRepository;
    }
}
