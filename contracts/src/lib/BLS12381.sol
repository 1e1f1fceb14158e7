// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title BLS12-381 min-sig verification over the EIP-2537 precompiles
/// @notice Signatures live in G1 (128-byte EIP-2537 encoding), public keys in G2 (256 bytes).
///         Hash-to-G1 follows RFC 9380 (expand_message_xmd with SHA-256, SSWU via MAP_FP_TO_G1).
library BLS12381 {
    uint256 internal constant G1_LEN = 128;
    uint256 internal constant G2_LEN = 256;

    address private constant G1ADD = address(0x0b);
    address private constant G2ADD = address(0x0d);
    address private constant PAIRING_CHECK = address(0x0f);
    address private constant MAP_FP_TO_G1 = address(0x10);
    address private constant MODEXP = address(0x05);

    // Gas forwarded to each precompile: exactly its EIP-2537 price, because a failing precompile call
    // (an off-curve or out-of-subgroup point) consumes everything it is forwarded. MODEXP gets
    // headroom above its EIP-2565 price of 200 for a 64-byte reduction, in case a fork reprices it.
    uint256 private constant G1ADD_GAS = 375;
    uint256 private constant G2ADD_GAS = 600;
    uint256 private constant MAP_FP_TO_G1_GAS = 5_500;
    uint256 private constant PAIRING_BASE_GAS = 37_700;
    uint256 private constant PAIRING_PER_PAIR_GAS = 32_600;
    uint256 private constant MODEXP_GAS = 2_000;

    // The field modulus p, as the two words of its 64-byte big-endian padding.
    uint256 private constant P_HI = 0x1a0111ea397fe69a4b1ba7b6434bacd7;
    uint256 private constant P_LO = 0x64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab;

    /// @dev The negated G2 generator, EIP-2537 encoded (x.c0, x.c1, y.c0, y.c1).
    bytes private constant NEG_G2 =
        hex"00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051"
        hex"c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
        hex"0000000000000000000000000000000013e02b6052719f607dacd3a088274f65"
        hex"596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
        hex"000000000000000000000000000000000d1b3cc2c7027888be51d9ef691d77bc"
        hex"b679afda66c73f17f9ee3837a55024f78c71363275a75d75d86bab79f74782aa"
        hex"0000000000000000000000000000000013fa4d4a0ad8b1ce186ed5061789213d"
        hex"993923066dddaf1040bc3ff59f825c78df74f2d75467e25e0f55f8a00fa030ed";

    /// @dev Ciphersuite DSTs (docs/architecture.md, "BLS12-381, min-sig").
    bytes internal constant DST_SIG = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_POP_";
    bytes internal constant DST_POP = "BLS_POP_BLS12381G1_XMD:SHA-256_SSWU_RO_POP_";

    error BLS12381__PrecompileFailed(address precompile);
    error BLS12381__BadPointLength(uint256 expected, uint256 got);
    error BLS12381__DstTooLong(uint256 length);

    /// @notice RFC 9380 expand_message_xmd with SHA-256, producing 128 bytes (two field elements).
    function expandMessageXmd(bytes memory message, bytes memory dst) internal pure returns (bytes32[4] memory out) {
        if (dst.length > 255) revert BLS12381__DstTooLong(dst.length);
        bytes memory dstPrime = abi.encodePacked(dst, uint8(dst.length));
        // Z_pad (64 zero bytes) || msg || I2OSP(128, 2) || I2OSP(0, 1) || DST_prime
        bytes32 b0 = sha256(abi.encodePacked(bytes32(0), bytes32(0), message, uint16(128), uint8(0), dstPrime));
        bytes32 prev = sha256(abi.encodePacked(b0, uint8(1), dstPrime));
        out[0] = prev;
        for (uint8 i = 2; i <= 4; ++i) {
            prev = sha256(abi.encodePacked(b0 ^ prev, i, dstPrime));
            out[i - 1] = prev;
        }
    }

    /// @notice RFC 9380 hash_to_curve for G1 (random-oracle variant), EIP-2537 encoded.
    function hashToG1(bytes memory message, bytes memory dst) internal view returns (bytes memory point) {
        bytes32[4] memory u = expandMessageXmd(message, dst);
        bytes memory q0 = mapToG1(reduce(u[0], u[1]));
        bytes memory q1 = mapToG1(reduce(u[2], u[3]));
        point = _call(G1ADD, G1ADD_GAS, abi.encodePacked(q0, q1), G1_LEN);
    }

    /// @notice Verifies a min-sig BLS signature: e(sig, -g2) * e(H(m), pk) == 1.
    /// @dev Returns false (never reverts) on malformed points: the pairing precompile rejects points
    ///      off the curve or outside the subgroup, and such input is simply an invalid signature.
    function verify(bytes memory signature, bytes memory publicKey, bytes memory message, bytes memory dst)
        internal
        view
        returns (bool)
    {
        if (signature.length != G1_LEN || publicKey.length != G2_LEN) return false;
        if (isZero(signature) || isZero(publicKey)) return false;
        bytes memory h = hashToG1(message, dst);
        (bool ok, bytes memory ret) = PAIRING_CHECK.staticcall{gas: PAIRING_BASE_GAS + 2 * PAIRING_PER_PAIR_GAS}(
            abi.encodePacked(signature, NEG_G2, h, publicKey)
        );
        return ok && ret.length == 32 && abi.decode(ret, (uint256)) == 1;
    }

    /// @notice `verify` for a 32-byte message (every digest Cortado signs), with the hash-to-G1 and the
    ///        pairing input built in one stretch of scratch memory instead of a dozen allocations.
    /// @dev Same answer as `verify(signature, publicKey, abi.encodePacked(digest), dst)`: false for
    ///      malformed or zero points, a revert only if a hash-to-G1 precompile fails (it cannot on
    ///      valid input, the field elements are reduced first). Every precompile is forwarded its price.
    function verifyDigest(bytes calldata signature, bytes memory publicKey, bytes32 digest, bytes memory dst)
        internal
        view
        returns (bool valid)
    {
        if (signature.length != G1_LEN || publicKey.length != G2_LEN) return false;
        if (dst.length > 255) revert BLS12381__DstTooLong(dst.length);
        address failed = address(0);
        assembly ("memory-safe") {
            // Scratch past the free pointer, never claimed: [sig | -g2 | H(m) | pk] (768 bytes) then work space.
            let m := mload(0x40)
            calldatacopy(m, signature.offset, 128)
            mcopy(add(m, 512), add(publicKey, 32), 256)
            let nonZeroSig := or(or(mload(m), mload(add(m, 32))), or(mload(add(m, 64)), mload(add(m, 96))))
            let nonZeroPk := or(or(or(mload(add(m, 512)), mload(add(m, 544))), or(mload(add(m, 576)), mload(add(m, 608)))),
                or(or(mload(add(m, 640)), mload(add(m, 672))), or(mload(add(m, 704)), mload(add(m, 736)))))
            valid := and(iszero(iszero(nonZeroSig)), iszero(iszero(nonZeroPk)))
            if valid {
                mstore(add(m, 128), 0x00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051)
                mstore(add(m, 160), 0xc6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8)
                mstore(add(m, 192), 0x0000000000000000000000000000000013e02b6052719f607dacd3a088274f65)
                mstore(add(m, 224), 0x596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e)
                mstore(add(m, 256), 0x000000000000000000000000000000000d1b3cc2c7027888be51d9ef691d77bc)
                mstore(add(m, 288), 0xb679afda66c73f17f9ee3837a55024f78c71363275a75d75d86bab79f74782aa)
                mstore(add(m, 320), 0x0000000000000000000000000000000013fa4d4a0ad8b1ce186ed5061789213d)
                mstore(add(m, 352), 0x993923066dddaf1040bc3ff59f825c78df74f2d75467e25e0f55f8a00fa030ed)

                let len := mload(dst)
                // expand_message_xmd: b0 = H(Z_pad(64) || msg || I2OSP(128, 2) || 0x00 || DST || len(DST)).
                let t := add(m, 768)
                mstore(t, 0)
                mstore(add(t, 32), 0)
                mstore(add(t, 64), digest)
                mstore(add(t, 96), 0x0080000000000000000000000000000000000000000000000000000000000000)
                mcopy(add(t, 99), add(dst, 32), len)
                mstore8(add(t, add(99, len)), len)
                if iszero(staticcall(gas(), 0x02, t, add(100, len), 0x00, 32)) { failed := 0x02 }
                let b0 := mload(0x00)
                // b_i = H(x || i || DST || len(DST)) with x = b0, then b0 xor b_{i-1}.
                // Each region only as long as the DST needs (memory expansion is paid per word).
                let u := add(t, and(add(131, len), not(31)))
                mcopy(add(u, 33), add(dst, 32), len)
                mstore8(add(u, add(33, len)), len)
                // Two MODEXP inputs (Bsize 64, Esize 1, Msize 64, base b_{2k-1} || b_2k, exponent 1, p).
                let v := add(u, and(add(65, len), not(31)))
                mstore(v, 64)
                mstore(add(v, 32), 1)
                mstore(add(v, 64), 64)
                mstore8(add(v, 160), 1)
                mstore(add(v, 161), P_HI)
                mstore(add(v, 193), P_LO)
                mstore(add(v, 256), 64)
                mstore(add(v, 288), 1)
                mstore(add(v, 320), 64)
                mstore8(add(v, 416), 1)
                mstore(add(v, 417), P_HI)
                mstore(add(v, 449), P_LO)
                // b1, b2 into the first base's two words, b3, b4 into the second's; unrolled, because a
                // counted loop here costs about as much as the four SHA-256 calls themselves.
                let n := add(34, len)
                mstore(u, b0)
                mstore8(add(u, 32), 1)
                if iszero(staticcall(gas(), 0x02, u, n, add(v, 96), 32)) { failed := 0x02 }
                mstore(u, xor(b0, mload(add(v, 96))))
                mstore8(add(u, 32), 2)
                if iszero(staticcall(gas(), 0x02, u, n, add(v, 128), 32)) { failed := 0x02 }
                mstore(u, xor(b0, mload(add(v, 128))))
                mstore8(add(u, 32), 3)
                if iszero(staticcall(gas(), 0x02, u, n, add(v, 352), 32)) { failed := 0x02 }
                mstore(u, xor(b0, mload(add(v, 352))))
                mstore8(add(u, 32), 4)
                if iszero(staticcall(gas(), 0x02, u, n, add(v, 384), 32)) { failed := 0x02 }
                // u_k = base mod p (64 bytes, already the padded Fp MAP_FP_TO_G1 takes), then q_k = map(u_k).
                let w := add(v, 512)
                if iszero(staticcall(MODEXP_GAS, 0x05, v, 225, w, 64)) { failed := 0x05 }
                if iszero(eq(returndatasize(), 64)) { failed := 0x05 }
                if iszero(staticcall(MAP_FP_TO_G1_GAS, 0x10, w, 64, add(w, 128), 128)) { failed := 0x10 }
                if iszero(eq(returndatasize(), 128)) { failed := 0x10 }
                if iszero(staticcall(MODEXP_GAS, 0x05, add(v, 256), 225, add(w, 64), 64)) { failed := 0x05 }
                if iszero(eq(returndatasize(), 64)) { failed := 0x05 }
                if iszero(staticcall(MAP_FP_TO_G1_GAS, 0x10, add(w, 64), 64, add(w, 256), 128)) { failed := 0x10 }
                if iszero(eq(returndatasize(), 128)) { failed := 0x10 }
                // H(m) = q0 + q1, written into the pairing input.
                if iszero(staticcall(G1ADD_GAS, 0x0b, add(w, 128), 256, add(m, 384), 128)) { failed := 0x0b }
                if iszero(eq(returndatasize(), 128)) { failed := 0x0b }
                if iszero(failed) {
                    let ok := staticcall(add(PAIRING_BASE_GAS, mul(2, PAIRING_PER_PAIR_GAS)), 0x0f, m, 768, 0x00, 32)
                    valid := and(and(ok, eq(returndatasize(), 32)), eq(mload(0x00), 1))
                }
            }
        }
        if (failed != address(0)) revert BLS12381__PrecompileFailed(failed);
    }

    /// @notice Adds two G2 points (no subgroup check; callers use keys checked at registration).
    function g2Add(bytes memory a, bytes memory b) internal view returns (bytes memory) {
        if (a.length != G2_LEN) revert BLS12381__BadPointLength(G2_LEN, a.length);
        if (b.length != G2_LEN) revert BLS12381__BadPointLength(G2_LEN, b.length);
        return _call(G2ADD, G2ADD_GAS, abi.encodePacked(a, b), G2_LEN);
    }

    /// @notice Negates a G2 point in place of a copy: y -> p - y per Fp component.
    function g2Neg(bytes memory a) internal pure returns (bytes memory r) {
        if (a.length != G2_LEN) revert BLS12381__BadPointLength(G2_LEN, a.length);
        r = new bytes(G2_LEN);
        uint256 yc0Hi;
        uint256 yc0Lo;
        uint256 yc1Hi;
        uint256 yc1Lo;
        assembly ("memory-safe") {
            let src := add(a, 32)
            let dst := add(r, 32)
            mstore(dst, mload(src))
            mstore(add(dst, 32), mload(add(src, 32)))
            mstore(add(dst, 64), mload(add(src, 64)))
            mstore(add(dst, 96), mload(add(src, 96)))
            yc0Hi := mload(add(src, 128))
            yc0Lo := mload(add(src, 160))
            yc1Hi := mload(add(src, 192))
            yc1Lo := mload(add(src, 224))
        }
        (yc0Hi, yc0Lo) = _negFp(yc0Hi, yc0Lo);
        (yc1Hi, yc1Lo) = _negFp(yc1Hi, yc1Lo);
        assembly ("memory-safe") {
            let dst := add(r, 32)
            mstore(add(dst, 128), yc0Hi)
            mstore(add(dst, 160), yc0Lo)
            mstore(add(dst, 192), yc1Hi)
            mstore(add(dst, 224), yc1Lo)
        }
    }

    /// @notice Negates, in place, the 256-byte EIP-2537 G2 point at memory address `at` (y -> p - y
    ///         per Fp component; the point at infinity stays itself).
    function negateG2At(uint256 at) internal pure {
        assembly ("memory-safe") {
            // y.c0 at 128, y.c1 at 192, each as a (hi, lo) word pair; p - y with the borrow from the low
            // word (the low subtraction wraps exactly when it borrows), zero left as zero.
            for { let y := add(at, 128) } lt(y, add(at, 256)) { y := add(y, 64) } {
                let hi := mload(y)
                let lo := mload(add(y, 32))
                if or(hi, lo) {
                    mstore(y, sub(sub(P_HI, hi), gt(lo, P_LO)))
                    mstore(add(y, 32), sub(P_LO, lo))
                }
            }
        }
    }

    /// @notice Reduces a 64-byte big-endian integer modulo p with the MODEXP precompile (x^1 mod p).
    function reduce(bytes32 hi, bytes32 lo) internal view returns (bytes memory fe) {
        fe = _call(
            MODEXP, MODEXP_GAS, abi.encodePacked(uint256(64), uint256(1), uint256(64), hi, lo, uint8(1), P_HI, P_LO), 64
        );
    }

    /// @notice MAP_FP_TO_G1 (SSWU plus cofactor clearing) of one padded field element.
    function mapToG1(bytes memory fe) internal view returns (bytes memory) {
        return _call(MAP_FP_TO_G1, MAP_FP_TO_G1_GAS, fe, G1_LEN);
    }

    /// @notice True when every byte is zero (the EIP-2537 point at infinity).
    function isZero(bytes memory data) internal pure returns (bool zero) {
        zero = true;
        uint256 words = data.length / 32;
        for (uint256 i = 0; i < words; ++i) {
            uint256 w;
            assembly ("memory-safe") {
                w := mload(add(add(data, 32), mul(i, 32)))
            }
            if (w != 0) return false;
        }
        for (uint256 i = words * 32; i < data.length; ++i) {
            if (data[i] != 0) return false;
        }
    }

    function _negFp(uint256 hi, uint256 lo) private pure returns (uint256, uint256) {
        if (hi == 0 && lo == 0) return (0, 0);
        unchecked {
            uint256 borrow = lo > P_LO ? 1 : 0;
            return (P_HI - hi - borrow, P_LO - lo);
        }
    }

    function _call(address precompile, uint256 gasLimit, bytes memory input, uint256 outLen)
        private
        view
        returns (bytes memory out)
    {
        (bool ok, bytes memory ret) = precompile.staticcall{gas: gasLimit}(input);
        if (!ok || ret.length != outLen) revert BLS12381__PrecompileFailed(precompile);
        return ret;
    }
}
