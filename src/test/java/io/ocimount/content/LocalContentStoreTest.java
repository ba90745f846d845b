package io.ocimount.content;

import java.nio.file.Path;

/** The content store contract for blobs and partial downloads in plain files. */
class LocalContentStoreTest extends ContentStoreContract {
    @Override
    protected ContentStore open(Path root) {
        return new LocalContentStore(root);
    }
}
