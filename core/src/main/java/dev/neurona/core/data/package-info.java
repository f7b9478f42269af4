/**
 * The one data abstraction the training loop consumes: {@link dev.neurona.core.data.DataSource}
 * (samples and targets drawn in any order into reusable batch tensors) and its in-memory tensor
 * implementation ({@link dev.neurona.core.data.DataSource#of}). File formats, data sets and fetching
 * live in the {@code neurona-data} module ({@code dev.neurona.data}).
 */
package dev.neurona.core.data;
