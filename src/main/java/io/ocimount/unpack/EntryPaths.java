package io.ocimount.unpack;

/** Tar entry names made into relative paths inside a layer, or refused when they would point anywhere else. */
final class EntryPaths {
    private EntryPaths() {
    }

    /**
     * "./a//b/" becomes "a/b"; "." and "./" become "" (the layer root). A name that is absolute or has a ".."
     * component is refused, not clamped: a layer that needs either is hostile or broken.
     */
    static String clean(String name, int maxLength) {
        if (name.isEmpty()) {
            throw new LayerRefusedException("entry with an empty name");
        }
        if (name.length() > maxLength) {
            throw new LayerRefusedException("entry " + shorten(name) + ": path longer than " + maxLength + " bytes");
        }
        if (name.indexOf('\0') >= 0) {
            throw new LayerRefusedException("entry " + shorten(name) + ": NUL in path");
        }
        if (name.startsWith("/")) {
            throw new LayerRefusedException("entry " + name + ": absolute path");
        }
        StringBuilder out = new StringBuilder(name.length());
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new LayerRefusedException("entry " + name + ": path leaves the layer through \"..\"");
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String base(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    static String shorten(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
