package org.zooscope.core.tiling;

/**
 * The core region of one tile: the pixels whose output this tile is responsible for (before blending). The model
 * input for the tile is larger: see {@link TileGrid#paddedWidth(Tile)} and {@link TileGrid#paddedHeight(Tile)}.
 *
 * @param index  position in {@link TileGrid#tiles()} (row-major over tile rows, then tile columns)
 * @param x      left column of the core, in plane coordinates
 * @param y      top row of the core
 * @param width  core width, &ge; 1
 * @param height core height, &ge; 1
 */
public record Tile(int index, int x, int y, int width, int height) {

    public Tile {
        if (index < 0 || x < 0 || y < 0 || width < 1 || height < 1) {
            throw new IllegalArgumentException("invalid tile " + index + " at " + x + "," + y + " size " + width + "x"
                    + height);
        }
    }
}
