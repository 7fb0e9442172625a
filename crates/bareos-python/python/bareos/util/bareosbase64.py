"""The base64 variant of Bacula and Bareos (used in CRAM-MD5 answers)."""


class BareosBase64:
    """Bareos's base64: no padding, and by default the bytes of the input are taken as
    *signed* chars (the daemons' ``BinToBase64`` without compatibility flag).

    ``compatible=True`` gives the unsigned variant the daemons also accept.
    """

    base64_digits = list(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    )

    def __init__(self):
        self.base64_map = {digit: index for index, digit in enumerate(self.base64_digits)}

    @staticmethod
    def twos_comp(val, bits):
        """``val`` read as a signed ``bits``-bit number."""
        if val & (1 << (bits - 1)):
            return val - (1 << bits)
        return val

    def base64_to_int(self, base64):
        """Decodes a base64 number (most significant digit first, optional ``-``)."""
        negative = base64.startswith("-")
        value = 0
        for digit in base64[1:] if negative else base64:
            value = (value << 6) + self.base64_map[digit]
        return -value if negative else value

    def int_to_base64(self, value):
        """Encodes a number (most significant digit first, ``-`` for negatives)."""
        if value == 0:
            return self.base64_digits[0]
        sign = "-" if value < 0 else ""
        value = abs(value)
        digits = []
        while value:
            digits.append(self.base64_digits[value & 0x3F])
            value >>= 6
        return sign + "".join(reversed(digits))

    def string_to_base64(self, string, compatible=False):
        """Encodes bytes.

        Args:
           string (bytes or bytearray): the data.
           compatible (bool): False: bytes >= 128 are sign-extended (what the Bareos
              daemons produce); True: plain unsigned bytes.

        Returns:
           bytearray: the encoded text.
        """
        out = []
        register = 0
        bits = 0
        index = 0
        data = bytes(string)
        while index < len(data):
            if bits < 6:
                byte = data[index]
                if not compatible and byte >= 128:
                    byte = self.twos_comp(byte, 8)
                register = (register << 8) | byte
                index += 1
                bits += 8
            out.append(self.base64_digits[(register >> (bits - 6)) & 0x3F])
            bits -= 6
        if bits:
            remainder = register & ((1 << bits) - 1)
            if compatible:
                out.append(self.base64_digits[remainder << (6 - bits)])
            else:
                out.append(self.base64_digits[remainder])
        return bytearray("".join(out), "utf-8")
