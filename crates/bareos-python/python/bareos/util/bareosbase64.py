"""The base64 variant of Bacula and Bareos (used in CRAM-MD5 answers).

Public API of python-bareos: every function returns what python-bareos returns for the
same input, quirks included (see the notes on each method).
"""

from typing import Dict, Sequence


class BareosBase64:
    """Bareos's base64: no padding, and by default the bytes of the input are taken as
    *signed* chars (the daemons' ``BinToBase64`` without compatibility flag).

    ``compatible=True`` gives the unsigned variant the daemons also accept.
    """

    base64_digits = list(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    )

    def __init__(self) -> None:
        self.base64_map: Dict[str, int] = {
            digit: index for index, digit in enumerate(self.base64_digits)
        }

    @staticmethod
    def twos_comp(val: int, bits: int) -> int:
        """``val`` read as a signed ``bits``-bit number."""
        if val & (1 << (bits - 1)):
            return val - (1 << bits)
        return val

    def base64_to_int(self, base64: str) -> int:
        """Decodes a base64 number: most significant digit first, optional ``-``.

        As in python-bareos, a character that is not a base64 digit is reported on
        standard output (``KeyError: <index>``) and counts as 0.
        """
        negative = base64[0] == "-"
        value = 0
        for index in range(1 if negative else 0, len(base64)):
            value <<= 6
            digit = self.base64_map.get(base64[index])
            if digit is None:
                print("KeyError:", index)
            else:
                value += digit
        return -value if negative else value

    def int_to_base64(self, value: int) -> str:
        """Encodes a number the way python-bareos does.

        Note (python-bareos's behaviour, kept for compatibility): the digits come out
        least significant first, each taken modulo 63 (not 64), and 0 gives ``""``; the
        result is therefore not what :py:meth:`base64_to_int` reads back. The daemons
        never exchange numbers this way.
        """
        result = ""
        if value < 0:
            result = "-"
            value = -value
        while value:
            result += self.base64_digits[value % 0x3F]
            value >>= 6
        return result

    def string_to_base64(self, string: Sequence[int], compatible: bool = False) -> bytearray:
        """Encodes bytes.

        Args:
           string (bytes, bytearray or a sequence of ints 0-255): the data.
           compatible (bool): False: bytes >= 128 are sign-extended (what the Bareos
              daemons produce); True: plain unsigned bytes.

        Returns:
           bytearray: the encoded text.
        """
        out = []
        register = 0
        bits = 0
        index = 0
        while index < len(string):
            if bits < 6:
                register <<= 8
                byte = string[index]
                if not compatible and byte >= 128:
                    byte = self.twos_comp(byte, 8)
                register |= byte
                index += 1
                bits += 8
            out.append(self.base64_digits[(register >> (bits - 6)) & 0x3F])
            bits -= 6
        if bits:
            mask = (1 << bits) - 1
            if compatible:
                out.append(self.base64_digits[(register & mask) << (6 - bits)])
            else:
                out.append(self.base64_digits[register & mask])
        return bytearray("".join(out), "utf-8")
