/**
 * What every example's command line shares: {@link dev.neurona.examples.launch.LaunchChecks} checks
 * {@code --out} and {@code --data} before anything slow happens, and
 * {@link dev.neurona.examples.launch.ResumableFit} wires {@code --resume} (a
 * {@link dev.neurona.layers.training.BackupAndRestore} in {@code <out>/backup}, the history kept in
 * {@code <out>/history.csv}).
 */
package dev.neurona.examples.launch;
