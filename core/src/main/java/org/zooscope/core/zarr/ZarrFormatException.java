package org.zooscope.core.zarr;

import java.io.IOException;

/** A Zarr or OME-NGFF store that is invalid or uses a feature this reader does not support. */
public final class ZarrFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public ZarrFormatException(String message) {
        super(message);
    }
}
