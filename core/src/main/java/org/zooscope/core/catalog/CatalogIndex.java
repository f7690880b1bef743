package org.zooscope.core.catalog;

/** The OpenSearch indices of the catalog: written by catalog-indexer, searched by the gateway. */
public enum CatalogIndex {
    MODELS("zooscope-models"),
    DATASETS("zooscope-datasets"),
    JOBS("zooscope-jobs");

    private final String indexName;

    CatalogIndex(String indexName) {
        this.indexName = indexName;
    }

    public String indexName() {
        return indexName;
    }

    /** Classpath resource with the index's explicit mapping and settings. */
    public String mappingResource() {
        return "/mappings/" + indexName + ".json";
    }
}
