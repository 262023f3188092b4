package io.sluice.store;

/**
 * What one pass of {@link LeaseStore#expireLeases} did.
 *
 * @param grants    lease grants that ran out and were settled (fewer than asked for: none are left)
 * @param takenBack jobs among them whose lease had run out, taken back down the retry path
 */
public record LeaseSweep(int grants, int takenBack) {
}
